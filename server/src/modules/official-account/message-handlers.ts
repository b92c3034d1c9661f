// What the Official Account does with each inbound message or event: a small chain keyed by
// message type (`text`) or event (`event:subscribe`). Adding a type is adding one handler.
// Replies must come within WeChat's 5 s: anything slow is queued as a job.
import type { WeChatReply } from 'co-wechat';
import type { JobQueue } from '../../jobs/runner.js';
import { flushInteractions, recordInteraction } from '../identity/interaction.service.js';
import { recordScan, recordSubscribe, recordUnsubscribe, sceneFromEventKey } from '../identity/wechat-user.service.js';
import { recordSceneLanding } from '../spread/tracking.service.js';
import { isOptOutReply, optOutByReply } from '../marketing/recipient.service.js';
import { replyForClick, replyForSubscribe, replyForText } from './auto-reply.service.js';
import { flushConversationMessages, noteInboundMessage } from './oa-message.store.js';
import { SYNC_FOLLOWER_JOB } from './official-account.jobs.js';

/** The fields of a pushed message, as co-wechat hands them over (all strings). */
export interface OaMessage {
  ToUserName: string;
  FromUserName: string;
  CreateTime: string;
  MsgType: string;
  Event?: string;
  EventKey?: string;
  Content?: string;
  MsgId?: string;
  [field: string]: string | undefined;
}

export interface MessageContext {
  jobs: JobQueue;
  /** Link to the customer self-service pages (the mini-program's H5 build). */
  selfServiceUrl: string;
  /** Mini-program appid, for the welcome message's mini-program link. */
  miniProgramAppid?: string;
  receivedAt: Date;
}

type Handler = (message: OaMessage, context: MessageContext) => Promise<WeChatReply>;

const handlers: Record<string, Handler> = {
  async 'event:subscribe'(message, { jobs, selfServiceUrl, miniProgramAppid, receivedAt }) {
    await recordSubscribe(message.FromUserName, sceneFromEventKey(message.EventKey), receivedAt);
    await recordSceneLanding(message.FromUserName, sceneFromEventKey(message.EventKey)).catch(() => 'ignored');
    // unionid (to link the mini-program identity) needs a WeChat API call: not on the reply path.
    await jobs.now(SYNC_FOLLOWER_JOB, { openid: message.FromUserName });
    return replyForSubscribe({ selfServiceUrl, ...(miniProgramAppid ? { miniProgramAppid } : {}) });
  },
  async 'event:unsubscribe'(message, { receivedAt }) {
    await recordUnsubscribe(message.FromUserName, receivedAt);
    return '';
  },
  async 'event:scan'(message, { receivedAt }) {
    await recordScan(message.FromUserName, sceneFromEventKey(message.EventKey), receivedAt);
    await recordSceneLanding(message.FromUserName, sceneFromEventKey(message.EventKey)).catch(() => 'ignored');
    return '';
  },
  async 'event:click'(message, { receivedAt }) {
    await recordInteraction(message.FromUserName, receivedAt);
    return message.EventKey ? replyForClick(message.EventKey) : '';
  },
  async 'event:view'(message, { receivedAt }) {
    await recordInteraction(message.FromUserName, receivedAt);
    return '';
  },
  async text(message, { receivedAt, selfServiceUrl }) {
    await recordInteraction(message.FromUserName, receivedAt);
    if (isOptOutReply(message.Content)) return optOutByReply(message.FromUserName);
    return replyForText(message.Content ?? '', selfServiceUrl);
  },
};

/** Messages of other types (image, voice, location …) are stored and counted as interaction. */
const fallback: Handler = async (message, { receivedAt }) => {
  if (message.MsgType !== 'event') await recordInteraction(message.FromUserName, receivedAt);
  return '';
};

export function handlerKey(message: OaMessage): string {
  return message.MsgType === 'event' ? `event:${(message.Event ?? '').toLowerCase()}` : message.MsgType;
}

export async function handleOfficialAccountMessage(message: OaMessage, context: MessageContext): Promise<WeChatReply> {
  const handler = handlers[handlerKey(message)] ?? fallback;
  // The conversation record (公众号消息): noted in memory, written with the batch below.
  noteInboundMessage(message, context.receivedAt);
  return handler(message, context);
}

/**
 * Writes the handlers buffered (lastInteractionAt; the conversation record is started beside it).
 * The endpoint runs it before it writes the messages' done marks (their log records), so a message
 * that counts as handled has everything its handler noted written — or, with `due`, all but what
 * may wait a few seconds by design (a follower's repeated interactions, coalesced).
 */
export function flushHandlerWrites(options: { due?: boolean } = {}): Promise<void> {
  // The conversation record is written beside them, not before the done marks (oa-message.store.ts).
  void flushConversationMessages(options).catch(() => {});
  return flushInteractions(options);
}
