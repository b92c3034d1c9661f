// How a delivery ends and how a WeChat error is read: shared by the distribution run and the mass send.
import { WeChatApiError, WeChatNetworkError } from '../../wechat/api/index.js';
import { Campaign } from './campaign.model.js';
import type { MarketingDeps } from './marketing.deps.js';

export type DeliveryState = 'sent' | 'failed' | 'skipped';
export const outcomeOf = (state: DeliveryState | 'sending', reason: string | null) => (state === 'sent' || state === 'sending' ? state : `${state}:${reason}`);

/** A recipient of the campaign's mass send: delivered once the campaign records the send (`mass.msgId`). */
export const MASS_QUEUED = 'mass-queued';

/** The outcome a record stands for, given its campaign's mass send. */
export function effectiveOutcome(outcome: string, mass: { msgId?: string | null; error?: string | null } | null | undefined): string {
  if (outcome !== MASS_QUEUED) return outcome;
  if (mass?.msgId) return 'sent';
  return mass?.error ? 'failed:error' : 'sending';
}

export type ErrorKind = 'retry' | 'unknown' | 'quota' | 'window' | 'unsubscribed' | 'failed';

export function errorKind(error: unknown): ErrorKind {
  if (error instanceof WeChatNetworkError) return error.reason === 'http' || error.reason === 'network' ? 'retry' : 'unknown';
  if (error instanceof WeChatApiError) {
    if (error.errcode === -1) return 'retry';
    if (error.errcode === 45009) return 'quota';
    if (error.errcode === 45015 || error.errcode === 45047) return 'window';
    if (error.errcode === 43004) return 'unsubscribed';
    return 'failed';
  }
  throw error;
}

export async function pauseForQuota(campaignId: string, deps: Pick<MarketingDeps, 'quotaPauseMs'>): Promise<void> {
  await Campaign.updateOne(
    { _id: campaignId, status: 'running' },
    { $set: { status: 'paused', pauseReason: '微信接口调用次数已达上限，稍后自动继续', resumeAt: new Date(Date.now() + deps.quotaPauseMs) } },
  );
}

