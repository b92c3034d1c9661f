// Sending notifications to people in WeChat, as jobs: the state change that caused a notification
// is already stored when it is enqueued, WeChat errors are retried with backoff by the job system,
// and an HTTP answer never waits for WeChat.
//   - template messages (Official Account) to a WeChat user, when they follow the account;
//   - subscribe messages (mini-program) to a staff member, through the WeChat user they bound.
import type { JobQueue, JobRunner } from '../../jobs/runner.js';
import type { Logger } from '../../logger.js';
import { findWeChatRecipient, weChatRecipientOfStaff } from '../identity/lookup.service.js';
import type { SubscribeMessage, TemplateMessage } from '../../wechat/api/index.js';

export const SEND_TEMPLATE_JOB = 'notifications.send-template';
export const SEND_SUBSCRIBE_JOB = 'notifications.send-subscribe';

export interface TemplateNotice {
  wechatUserId: string;
  message: Omit<TemplateMessage, 'touser'>;
  /** For the logs, e.g. `feedback.dispatched`. */
  reason: string;
}

export interface SubscribeNotice {
  staffId: string;
  message: Omit<SubscribeMessage, 'touser'>;
  reason: string;
}

export interface NotificationSenders {
  oa: { sendTemplateMessage(message: TemplateMessage): Promise<unknown> };
  mp: { sendSubscribeMessage(message: SubscribeMessage): Promise<unknown> };
  logger: Logger;
}

export type SendOutcome = 'sent' | 'skipped';

/**
 * errcodes after which trying again changes nothing: not following (43004), openid unknown to
 * WeChat (40003), no subscription consent left (43101). Logged, not retried.
 */
const FINAL_ERRCODES = new Set([40003, 43004, 43101]);

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

/** Subscribe message to a staff member's bound WeChat (mini-program openid); skipped when not bound. */
export async function sendSubscribeNotice(notice: SubscribeNotice, deps: NotificationSenders): Promise<SendOutcome> {
  const user = await weChatRecipientOfStaff(notice.staffId);
  if (!user?.mpOpenid) {
    deps.logger.info({ staffId: notice.staffId, reason: notice.reason }, 'staff member has no bound mini-program: subscribe message skipped');
    return 'skipped';
  }
  try {
    await deps.mp.sendSubscribeMessage({ touser: user.mpOpenid, ...notice.message });
    return 'sent';
  } catch (error) {
    const errcode = finalWeChatError(error);
    if (errcode === undefined) throw error;
    deps.logger.info({ staffId: notice.staffId, reason: notice.reason, errcode }, 'WeChat refused the subscribe message for this user');
    return 'skipped';
  }
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
