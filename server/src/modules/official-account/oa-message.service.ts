// The console's Official Account conversations (公众号消息): the list, a thread, customer-service
// replies inside WeChat's 48-hour window, and the lead made from a conversation (转为线索).
import {
  maskPhone,
  OA_SERVICE_WINDOW_HOURS,
  type OaConversation as OaConversationView,
  type OaConversationDetail,
  type OaConversationListQuery,
  type OaLeadRef,
  type OaMessageItem,
  type OaConversationPage,
  type OaMessageListQuery,
  type OaMessagePage,
} from '@qiao/shared';
import { AppError, conflict, notFound } from '../../errors.js';
import type { JobRunner } from '../../jobs/runner.js';
import { afterCursor, cursorAfter, dateCursorOf, flatFilter, paged, skipOf } from '../../lib/query.js';
import { removeSearchKeysOf } from '../../lib/search.js';
import { customerVisibility, type CustomerVisibility } from '../customers/customer-visibility.js';
import { findContact, findCustomer } from '../customers/lookup.service.js';
import { inCustomerServiceWindow } from '../identity/interaction.service.js';
import { staffByIds } from '../identity/lookup.service.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { currentWeChatUser } from '../identity/wechat-user.service.js';
import { leadRefsByIds, leadsOfWeChatUser } from '../leads/oa-conversation.reads.js';
import { WeChatApiError } from '../../wechat/api/errors.js';
import type { CustomMessage } from '../../wechat/api/index.js';
import { OaChatMessage, OaConversation, type OaChatMessageDoc, type OaConversationDoc } from './oa-message.model.js';
import { openidsMatching } from './oa-message.search.js';
import { rememberConversationUser, storeReply } from './oa-message.store.js';

/** Sends a customer-service message (the Official Account client's message/custom/send). */
export interface CustomMessageSender {
  sendCustomMessage(message: CustomMessage): Promise<void>;
}

const WINDOW_MS = OA_SERVICE_WINDOW_HOURS * 3600_000;
const iso = (date: Date) => date.toISOString();

type ContactPart = Pick<OaConversationView, 'contact' | 'customer'>;

/**
 * The verified contact and their customer. The phone is shown to whoever may see the customer
 * (customers/customer-visibility.ts: admin; managers in their subtree; sales their own or shared
 * customers), masked otherwise.
 */
async function contactPart(contactId: string | null | undefined, visibility: CustomerVisibility): Promise<ContactPart> {
  const contact = await findContact(contactId);
  if (!contact) return { contact: null, customer: null };
  const customer = await findCustomer(String(contact.customerId));
  const allowed = customer !== null && visibility.canSee(customer);
  return {
    contact: { id: String(contact._id), name: contact.name, phone: allowed ? contact.phone : maskPhone(contact.phone), phoneMasked: !allowed },
    customer: customer ? { id: String(customer._id), name: customer.name } : null,
  };
}

async function toView(doc: OaConversationDoc, visibility: CustomerVisibility, leads: Map<string, OaLeadRef>, now: Date): Promise<OaConversationView> {
  const wechatUserId = doc.wechatUserId ?? (await rememberConversationUser(doc._id));
  const user = wechatUserId ? await currentWeChatUser(wechatUserId) : null;
  const { contact, customer } = await contactPart(user?.contactId, visibility);
  const lastInbound = Math.max(doc.lastInboundAt?.getTime() ?? 0, user?.lastInteractionAt?.getTime() ?? 0);
  return {
    wechatUserId: user?._id ?? wechatUserId ?? '',
    displayName: contact?.name ?? `微信用户 ${(user?._id ?? doc._id).slice(-6)}`,
    subscribed: Boolean(user?.subscribed),
    contact,
    customer,
    lastMessage: { direction: doc.lastDirection as 'in' | 'out', content: doc.lastText, at: iso(doc.lastAt) },
    unread: Math.max(0, (doc.inCount ?? 0) - (doc.seenInCount ?? 0)),
    intent: Boolean(doc.intent),
    lastInboundAt: lastInbound > 0 ? iso(new Date(lastInbound)) : null,
    // Only followers can write, so a message after the last unfollow means they follow now.
    inServiceWindow: lastInbound > (user?.unsubscribedAt?.getTime() ?? 0) && now.getTime() - lastInbound < WINDOW_MS,
    lead: (doc.leadId && leads.get(doc.leadId)) || null,
  };
}

/** Conversations, latest activity first: by key after `cursor` (deep pages stay fast), else by page number. */
export async function listConversations(query: OaConversationListQuery, viewer: StaffPrincipal, now = new Date()): Promise<OaConversationPage> {
  const cursor = dateCursorOf(query.cursor);
  const filter: Record<string, unknown> = query.intent ? { intent: true } : {};
  if (query.q) {
    const openids = await openidsMatching(query.q);
    if (openids.length === 0) return { ...paged([], 0, query), nextCursor: null };
    filter._id = { $in: openids };
  }
  const after = cursor ? afterCursor('lastAt', -1, cursor) : null;
  const [docs, total] = await Promise.all([
    OaConversation.find(after ? flatFilter(filter, after.condition) : filter)
      .sort({ lastAt: -1, _id: -1 })
      .skip(after ? after.skip : skipOf(query))
      .limit(query.pageSize)
      .lean<OaConversationDoc[]>(),
    OaConversation.countDocuments(filter),
  ]);
  const [leads, visibility] = await Promise.all([leadRefsByIds(docs.map((doc) => doc.leadId)), customerVisibility(viewer)]);
  const items = await Promise.all(docs.map((doc) => toView(doc, visibility, leads, now)));
  return { ...paged(items, total, query), nextCursor: cursorAfter(docs, query.pageSize, (doc) => doc.lastAt, cursor) };
}

/** The conversation of a wechat_users id: its openid and record; 404 when the follower never wrote. */
async function conversationOf(wechatUserId: string): Promise<{ openid: string; wechatUserId: string; doc: OaConversationDoc | null }> {
  const user = await currentWeChatUser(wechatUserId);
  if (!user?.oaOpenid) throw notFound('OA_CONVERSATION_NOT_FOUND', '没有找到这个公众号粉丝的会话');
  const doc = await OaConversation.findById(user.oaOpenid).lean<OaConversationDoc>();
  return { openid: user.oaOpenid, wechatUserId: user._id, doc };
}

/** One conversation with every lead made from it; opening it marks the follower's messages seen. */
export async function getConversation(wechatUserId: string, viewer: StaffPrincipal, now = new Date()): Promise<OaConversationDetail> {
  const { openid, wechatUserId: current, doc } = await conversationOf(wechatUserId);
  if (!doc) throw notFound('OA_CONVERSATION_NOT_FOUND', '没有找到这个公众号粉丝的会话');
  const made = await leadsOfWeChatUser(current);
  // A lead made from the conversation but not marked on it (the console's mark did not arrive).
  if (!doc.leadId && made[0]) {
    doc.leadId = made[0].id;
    await OaConversation.updateOne({ _id: openid }, { $set: { leadId: made[0].id } });
  }
  const marked = await leadRefsByIds([doc.leadId]);
  const view = await toView(doc, await customerVisibility(viewer), marked, now);
  if (view.unread > 0) await OaConversation.updateOne({ _id: openid }, { $max: { seenInCount: doc.inCount } });
  return { ...view, leads: made };
}

/**
 * A page of the thread: page 1 holds the newest messages, each page oldest first; `nextCursor`
 * leads to the older messages before it (by key: the thread's index, no growing skip).
 */
export async function listConversationMessages(wechatUserId: string, query: OaMessageListQuery): Promise<OaMessagePage> {
  const cursor = dateCursorOf(query.cursor);
  const { openid } = await conversationOf(wechatUserId);
  const after = cursor ? afterCursor('at', -1, cursor) : null;
  const [docs, total] = await Promise.all([
    OaChatMessage.find(after ? flatFilter({ openid }, after.condition) : { openid })
      .sort({ at: -1, _id: -1 })
      .skip(after ? after.skip : skipOf(query))
      .limit(query.pageSize)
      .lean<OaChatMessageDoc[]>(),
    OaChatMessage.countDocuments({ openid }),
  ]);
  const nextCursor = cursorAfter(docs, query.pageSize, (doc) => doc.at, cursor);
  const staff = await staffByIds(docs.map((doc) => doc.staffId));
  const items = docs.reverse().map((doc) => ({
    id: doc._id,
    direction: doc.direction as 'in' | 'out',
    msgType: doc.msgType,
    content: doc.content,
    intent: Boolean(doc.intent),
    staffId: doc.staffId ?? null,
    staffName: doc.staffId ? (staff.get(doc.staffId)?.name ?? null) : null,
    at: iso(doc.at),
  }));
  return { ...paged(items, total, query), nextCursor };
}

const outsideWindow = () =>
  conflict('OUTSIDE_SERVICE_WINDOW', `粉丝最近 ${OA_SERVICE_WINDOW_HOURS} 小时内没有给公众号发消息（或已取消关注），微信不允许发送客服消息；请等对方再次发消息后回复`);

/** A customer-service message (客服消息) to the follower, only inside WeChat's 48-hour window. */
export async function replyToConversation(
  wechatUserId: string,
  text: string,
  viewer: StaffPrincipal,
  wechat: CustomMessageSender,
  now = new Date(),
): Promise<OaMessageItem> {
  const { openid, wechatUserId: current } = await conversationOf(wechatUserId);
  if (!(await inCustomerServiceWindow(openid, now))) throw outsideWindow();
  try {
    await wechat.sendCustomMessage({ touser: openid, msgtype: 'text', text: { content: text } });
  } catch (error) {
    if (error instanceof WeChatApiError) {
      // 45015: out of the window or unfollowed; 45047: the window's message allowance is used up.
      if (error.errcode === 45015 || error.errcode === 43004) throw outsideWindow();
      if (error.errcode === 45047) throw conflict('SERVICE_WINDOW_QUOTA', '微信限制：对方发消息后最多可回复 5 条客服消息，请等对方再次发消息后回复');
      throw new AppError(502, 'WECHAT_REJECTED', `微信拒绝了这条客服消息（错误码 ${error.errcode}）`);
    }
    throw new AppError(502, 'WECHAT_UNAVAILABLE', '暂时无法连接微信，请稍后再试');
  }
  const id = await storeReply({ openid, wechatUserId: current, text, staffId: viewer.staffId, at: now });
  const staff = await staffByIds([viewer.staffId]);
  return {
    id,
    direction: 'out',
    msgType: 'text',
    content: text,
    intent: false,
    staffId: viewer.staffId,
    staffName: staff.get(viewer.staffId)?.name ?? null,
    at: iso(now),
  };
}

/** 转为线索: the lead made from the conversation (it must carry the conversation's wechatUserId). */
export async function markConversationLead(wechatUserId: string, leadId: string, viewer: StaffPrincipal, now = new Date()): Promise<OaConversationDetail> {
  const { openid, wechatUserId: current, doc } = await conversationOf(wechatUserId);
  if (!doc) throw notFound('OA_CONVERSATION_NOT_FOUND', '没有找到这个公众号粉丝的会话');
  const lead = (await leadRefsByIds([leadId])).get(leadId);
  if (!lead) throw notFound('LEAD_NOT_FOUND', '线索不存在');
  if (lead.wechatUserId !== current && lead.wechatUserId !== wechatUserId) {
    throw conflict('LEAD_NOT_FROM_CONVERSATION', '这条线索不是从该粉丝的会话创建的');
  }
  await OaConversation.updateOne({ _id: openid }, { $set: { leadId } });
  return getConversation(current, viewer, now);
}

// ---- retention ----

/** Conversations are kept 180 days after their last message (FerretDB has no TTL indexes). */
export const OA_CHAT_RETENTION_DAYS = 180;
export const OA_CHAT_CLEANUP_JOB = 'oa.delete-old-conversations';

/** Delete messages, then conversations, older than `cutoff` — in batches by `_id`. */
export async function deleteOldConversations(cutoff: Date): Promise<{ messages: number; conversations: number }> {
  const removed = { messages: 0, conversations: 0 };
  for (;;) {
    const old = await OaChatMessage.find({ at: { $lt: cutoff } }, { _id: 1 }).limit(1000).lean<Array<{ _id: string }>>();
    if (old.length === 0) break;
    const ids = old.map((doc) => doc._id);
    // Their search keys first: a key without its message finds nothing, a message without keys would not be found.
    await removeSearchKeysOf(ids);
    removed.messages += (await OaChatMessage.deleteMany({ _id: { $in: ids } })).deletedCount;
  }
  for (;;) {
    const old = await OaConversation.find({ lastAt: { $lt: cutoff } }, { _id: 1 }).limit(1000).lean<Array<{ _id: string }>>();
    if (old.length === 0) break;
    removed.conversations += (await OaConversation.deleteMany({ _id: { $in: old.map((doc) => doc._id) } })).deletedCount;
  }
  return removed;
}

/** The daily cleanup of the conversation record. */
export function oaConversationJobs(jobs: JobRunner, retentionDays = OA_CHAT_RETENTION_DAYS): void {
  jobs.define(OA_CHAT_CLEANUP_JOB, async () => void (await deleteOldConversations(new Date(Date.now() - retentionDays * 86_400_000))), { concurrency: 1 });
  jobs.every('20 4 * * *', OA_CHAT_CLEANUP_JOB);
}
