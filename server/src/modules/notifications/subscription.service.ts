// Subscribe-message consent of mini-program users: recorded one grant per 允许, spent one per
// notice — once, however often the notice's job is retried (docs/only-once.md) — and the notices
// that reached nobody (未收到通知), for the dispatcher to phone.
import { randomUUID } from 'node:crypto';
import type { SubscriptionState } from '@qiao/shared';
import { badRequest } from '../../errors.js';
import { isDuplicateKey } from '../../lib/db.js';
import { findOnce, takeOnce } from '../../lib/once.js';
import { NoticeMiss, SubscribeGrant } from './subscription.model.js';

/** The subscribe templates the mini-program asks consent for. */
export interface SubscribeTemplates {
  /** WECHAT_MP_TEMPLATE_DISPATCH: 派工通知 */
  dispatch: string;
}

/** A spend claim outlives any retry of its notice; `spentAt` on the grant keeps it spent after. */
const GRANT_CLAIM_KEEP_MS = 30 * 24 * 3600_000;
/** More unspent grants than this are not looked at in one send (WeChat itself keeps a few). */
const GRANTS_PER_SEND = 50;

const grantKey = (grantId: string) => `subscribe-grant:${grantId}`;

function titles(templates: SubscribeTemplates): Map<string, string> {
  return new Map([[templates.dispatch, '派工通知']]);
}

export async function remainingGrants(wechatUserId: string, templateId: string): Promise<number> {
  return SubscribeGrant.countDocuments({ wechatUserId, templateId, spentAt: null });
}

/** GET /me/subscriptions: what the app asks consent for, with what is left. */
export async function subscriptionStates(wechatUserId: string, templates: SubscribeTemplates): Promise<SubscriptionState[]> {
  return Promise.all(
    [...titles(templates)].map(async ([templateId, title]) => ({ templateId, title, remaining: await remainingGrants(wechatUserId, templateId) })),
  );
}

/** POST /me/subscriptions: the person's answer in wx.requestSubscribeMessage. 允许 adds one grant. */
export async function recordConsent(
  wechatUserId: string,
  consent: { templateId: string; accepted: boolean },
  templates: SubscribeTemplates,
  now = new Date(),
): Promise<SubscriptionState> {
  const title = titles(templates).get(consent.templateId);
  if (!title) throw badRequest('SUBSCRIBE_TEMPLATE_UNKNOWN', '不支持该订阅消息模板');
  if (consent.accepted) {
    await SubscribeGrant.create({ _id: randomUUID(), wechatUserId, templateId: consent.templateId, grantedAt: now });
  }
  return { templateId: consent.templateId, title, remaining: await remainingGrants(wechatUserId, consent.templateId) };
}

/**
 * Spend one grant for `noticeId`: true when the notice may be sent. A retry of the same notice gets
 * the grant its first attempt took (never a second one); of two notices racing for the last grant,
 * one wins (the claim is an insert).
 */
export async function spendGrant(wechatUserId: string, templateId: string, noticeId: string, now = new Date()): Promise<boolean> {
  if (await SubscribeGrant.exists({ wechatUserId, templateId, spentFor: noticeId })) return true;
  const open = await SubscribeGrant.find({ wechatUserId, templateId, spentAt: null }, { _id: 1 })
    .sort({ grantedAt: 1, _id: 1 })
    .limit(GRANTS_PER_SEND)
    .lean<Array<{ _id: string }>>();
  for (const grant of open) {
    const key = grantKey(grant._id);
    const mine = await takeOnce(key, { keepMs: GRANT_CLAIM_KEEP_MS, data: { noticeId }, now });
    // Not mine: another notice's — unless an earlier attempt of this one took it and died before marking it.
    if (!mine && (await findOnce(key))?.data?.noticeId !== noticeId) continue;
    await SubscribeGrant.updateOne({ _id: grant._id }, { $set: { spentAt: now, spentFor: noticeId } });
    return true;
  }
  return false;
}

export interface MissedNotice {
  id: string;
  staffId: string;
  orderId: string | null;
  feedbackId: string | null;
  reason: string;
  cause: string;
}

/** 未收到通知: recorded once per notice (a retried job finds it there). */
export async function recordMissedNotice(miss: MissedNotice, now = new Date()): Promise<void> {
  const { id, ...fields } = miss;
  await NoticeMiss.create({ _id: id, ...fields, at: now }).catch((error: unknown) => {
    if (!isDuplicateKey(error)) throw error;
  });
}

/** Of `orderIds`, the work orders with a notice that reached nobody. */
export async function ordersWithMissedNotices(orderIds: Iterable<string | null | undefined>): Promise<Set<string>> {
  const ids = [...new Set([...orderIds].filter((id): id is string => Boolean(id)))];
  if (ids.length === 0) return new Set();
  const misses = await NoticeMiss.find({ orderId: { $in: ids } }, { orderId: 1 }).lean<Array<{ orderId: string | null }>>();
  return new Set(misses.flatMap((miss) => (miss.orderId ? [miss.orderId] : [])));
}
