// Sending notifications to people in WeChat, as jobs: the state change that caused a notification
// is already stored when it is enqueued, WeChat errors are retried with backoff by the job system,
// and an HTTP answer never waits for WeChat.
//   - template messages (Official Account) to a WeChat user, when they follow the account;
//   - subscribe messages (mini-program) to a staff member, through the WeChat user they bound:
//     each spends one of the consents the engineer gave (subscription.service.ts); without one
//     (or when WeChat answers 43101) the notice goes out as an Official Account template message
//     if they follow the account, else it is recorded as 未收到通知 for the dispatcher.
import { createHash } from 'node:crypto';
import type { JobQueue, JobRunner } from '../../jobs/runner.js';
import type { Logger } from '../../logger.js';
import { findWeChatRecipient, weChatRecipientOfStaff } from '../identity/lookup.service.js';
import type { SubscribeMessage, TemplateMessage } from '../../wechat/api/index.js';
import { recordMissedNotice, spendGrant } from './subscription.service.js';

export const SEND_TEMPLATE_JOB = 'notifications.send-template';
export const SEND_SUBSCRIBE_JOB = 'notifications.send-subscribe';

export interface TemplateNotice {
  wechatUserId: string;
  message: Omit<TemplateMessage, 'touser'>;
  /** For the logs, e.g. `feedback.dispatched`. */
  reason: string;
}

export interface SubscribeNotice {
  /** The same for every attempt of this notice (e.g. `<orderId>:dispatched:<time>`): one consent spent per id. */
  id?: string;
  staffId: string;
  message: Omit<SubscribeMessage, 'touser'>;
  reason: string;
  /** Official Account template message sent instead when no consent is left. */
  fallback?: Omit<TemplateMessage, 'touser'>;
  /** The work order it concerns: marked 未收到通知 when the notice reaches nobody. */
  orderId?: string;
  feedbackId?: string;
}

export interface NotificationSenders {
  oa: { sendTemplateMessage(message: TemplateMessage): Promise<unknown> };
  mp: { sendSubscribeMessage(message: SubscribeMessage): Promise<unknown> };
  logger: Logger;
}

export type SendOutcome = 'sent' | 'skipped';
/** How a subscribe notice reached the engineer: subscribe message, Official Account fallback, or not at all. */
export type SubscribeOutcome = 'sent' | 'fallback' | 'missed';

/**
 * errcodes after which trying again changes nothing: not following (43004), openid unknown to
 * WeChat (40003), no subscription consent left (43101), a template or value WeChat refuses
 * (40037, 47003). Logged, not retried.
 */
const FINAL_ERRCODES = new Set([40003, 40037, 43004, 43101, 47003]);

function finalWeChatError(error: unknown): number | undefined {
  const errcode = (error as { errcode?: unknown }).errcode;
  return typeof errcode === 'number' && FINAL_ERRCODES.has(errcode) ? errcode : undefined;
}

/** Template message to a WeChat user who follows the Official Account; skipped (info log) otherwise. */
export async function sendTemplateNotice(notice: TemplateNotice, deps: NotificationSenders): Promise<SendOutcome> {
  const user = await findWeChatRecipient(notice.wechatUserId);
  if (!user?.oaOpenid || !user.subscribed) {
    deps.logger.info({ wechatUserId: notice.wechatUserId, reason: notice.reason }, 'not following the Official Account: template message skipped');
    return 'skipped';
  }
  try {
    await deps.oa.sendTemplateMessage({ touser: user.oaOpenid, ...notice.message });
    return 'sent';
  } catch (error) {
    const errcode = finalWeChatError(error);
    if (errcode === undefined) throw error;
    deps.logger.info({ wechatUserId: notice.wechatUserId, reason: notice.reason, errcode }, 'WeChat refused the template message for this user');
    return 'skipped';
  }
}

/** Jobs enqueued before notices had ids: one derived from what they say. */
const noticeIdOf = (notice: SubscribeNotice) =>
  notice.id ?? createHash('sha256').update(JSON.stringify([notice.staffId, notice.reason, notice.message])).digest('hex').slice(0, 32);

/**
 * Subscribe message to a staff member's bound WeChat (mini-program openid), spending one consent;
 * the Official Account fallback or 未收到通知 otherwise. A network error is thrown (the job
 * retries, with the consent this notice already spent).
 */
export async function sendSubscribeNotice(notice: SubscribeNotice, deps: NotificationSenders): Promise<SubscribeOutcome> {
  const id = noticeIdOf(notice);
  const log = { staffId: notice.staffId, reason: notice.reason, noticeId: id };
  const user = await weChatRecipientOfStaff(notice.staffId);
  let cause = 'no-wechat';
  if (user?.mpOpenid) {
    cause = 'no-consent';
    if (await spendGrant(user.id, notice.message.template_id, id)) {
      try {
        await deps.mp.sendSubscribeMessage({ touser: user.mpOpenid, ...notice.message });
        return 'sent';
      } catch (error) {
        const errcode = finalWeChatError(error);
        if (errcode === undefined) throw error;
        deps.logger.info({ ...log, errcode }, 'WeChat refused the subscribe message for this user');
        cause = `subscribe-${errcode}`;
      }
    }
  }
  if (notice.fallback && user?.oaOpenid && user.subscribed) {
    try {
      await deps.oa.sendTemplateMessage({ touser: user.oaOpenid, ...notice.fallback });
      deps.logger.info({ ...log, cause }, 'subscribe message not possible: sent as an Official Account template message');
      return 'fallback';
    } catch (error) {
      const errcode = finalWeChatError(error);
      if (errcode === undefined) throw error;
      cause = `${cause},template-${errcode}`;
    }
  }
  deps.logger.info({ ...log, cause }, 'the notice reached nobody: marked 未收到通知');
  await recordMissedNotice({ id, staffId: notice.staffId, orderId: notice.orderId ?? null, feedbackId: notice.feedbackId ?? null, reason: notice.reason, cause });
  return 'missed';
}

export function defineNotificationJobs(jobs: JobRunner, deps: NotificationSenders): void {
  jobs.define<TemplateNotice>(SEND_TEMPLATE_JOB, async (notice) => void (await sendTemplateNotice(notice, deps)), { retries: 5 });
  jobs.define<SubscribeNotice>(SEND_SUBSCRIBE_JOB, async (notice) => void (await sendSubscribeNotice(notice, deps)), { retries: 5 });
}

/**
 * Enqueue a notification. Never throws: the change it reports is already stored, and a lost
 * notification must not turn a successful answer into an error.
 */
export async function enqueueTemplateNotice(jobs: JobQueue, logger: Logger, notice: TemplateNotice): Promise<void> {
  await jobs.now(SEND_TEMPLATE_JOB, notice).catch((error: unknown) => logger.error({ err: error, reason: notice.reason }, 'could not enqueue a template message'));
}

export async function enqueueSubscribeNotice(jobs: JobQueue, logger: Logger, notice: SubscribeNotice): Promise<void> {
  await jobs.now(SEND_SUBSCRIBE_JOB, notice).catch((error: unknown) => logger.error({ err: error, reason: notice.reason }, 'could not enqueue a subscribe message'));
}
