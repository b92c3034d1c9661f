// GET/POST /wechat/oa — the Official Account's message endpoint (co-wechat behind our guard).
// WeChat retries a push it got no answer to within 5 s, up to 3 times: every message is claimed
// by its dedupe key with a leased claim (lib/once.ts, docs/only-once.md). A retry (in this or
// another process) gets the stored reply instead of being handled again; a retry of a message
// whose handler died (a crash, an error) handles it, once.
// A handler slower than ~4 s would miss WeChat's 5 s: WeChat is answered with an empty reply
// ("success": no retry, no "该公众号暂时无法提供服务") and the reply, once ready, goes out as a
// customer-service message (the user just wrote to us: inside WeChat's 48-hour window).
import type Router from '@koa/router';
import wechat, { type WeChatReply } from 'co-wechat';
import { z } from 'zod';
import { badRequest } from '../../errors.js';
import { claimLease, releaseLease, type Attempt } from '../../lib/once.js';
import type { Logger } from '../../logger.js';
import type { OaMessage } from '../../modules/official-account/message-handlers.js';
import type { CustomMessage } from '../api/index.js';
import { MessageCrypto } from './crypto.js';
import { HandlerError, officialAccountGuard } from './guard.js';
import { handledMessage, logMessage, useHandlerWrites, useMessageLogLogger, type MessageLogRecord } from './message-log.js';

export interface OfficialAccountEndpointOptions {
  token: string;
  appid: string;
  aesKey?: string;
  logger: Logger;
  handle: (message: OaMessage, receivedAt: Date) => Promise<WeChatReply>;
  /** Writes what handlers buffered (e.g. lastInteractionAt); run before claims are marked done (`due`: what may not wait). */
  flushHandlerWrites?: (options: { due: boolean }) => Promise<void>;
  /** Delivers the reply of a handler that ran past `slowReplyMs` (the OA client's sendCustomMessage). */
  sendCustomMessage?: (message: CustomMessage) => Promise<void>;
  /** How long WeChat waits for the passive reply before we answer empty; default 4000 ms. */
  slowReplyMs?: number;
  now?: () => number;
}

/** WeChat gives a passive reply 5 s; past this the reply goes out as a customer-service message. */
export const SLOW_REPLY_MS = 4_000;

/** A passive reply as a customer-service message; null for what has no such form (or nothing). */
export function customMessageOf(openid: string, reply: WeChatReply): CustomMessage | null {
  if (typeof reply === 'string') return reply === '' ? null : { touser: openid, msgtype: 'text', text: { content: reply } };
  if (Array.isArray(reply)) {
    // A customer-service news message carries one article.
    const [first] = reply;
    if (!first?.url) return null;
    return { touser: openid, msgtype: 'news', news: { articles: [{ title: first.title, description: first.description, url: first.url, picurl: first.picurl }] } };
  }
  return null;
}

// Account ids are inserted into the reply XML by co-wechat: nothing that could leave its CDATA.
const id = z.string().min(1).max(128).refine((value) => !/[<>\]]/.test(value));
/**
 * The message types WeChat pushes. The type picks a handler by name, so only these are handled:
 * a hostile one (`constructor`, `__proto__`, `toString`) would otherwise reach Object.prototype.
 * An unknown type is answered with an empty reply and not stored.
 */
export const KNOWN_MSG_TYPES = ['text', 'image', 'voice', 'video', 'shortvideo', 'location', 'link', 'file', 'event', 'miniprogrampage'] as const;
const messageShape = z
  .object({
    ToUserName: id,
    FromUserName: id,
    CreateTime: z.string().regex(/^\d{1,12}$/),
    MsgType: z.string().regex(/^[a-z_]{1,32}$/),
    MsgId: z.string().regex(/^\d{1,32}$/).optional(),
    Event: z.string().regex(/^[A-Za-z_]{1,64}$/).optional(),
    // Fields our handlers read must be text (co-wechat turns nested XML into objects or arrays).
    EventKey: z.string().max(1024).optional(),
    Content: z.string().max(8192).optional(),
  })
  .passthrough();

/** WeChat's recommended dedupe: MsgId for messages, FromUserName + CreateTime for events. */
export function dedupeKey(message: OaMessage): string {
  if (message.MsgId) return `msg:${message.MsgId}`;
  return `evt:${message.FromUserName}:${message.CreateTime}:${message.Event ?? message.MsgType}`;
}

/** `]]>` inside a CDATA section would end it: split it across two sections instead. */
export function cdataSafe(reply: WeChatReply): WeChatReply {
  const safe = (text: string | undefined) => (text ?? '').replaceAll(']]>', ']]]]><![CDATA[>');
  if (typeof reply === 'string') return safe(reply);
  if (Array.isArray(reply)) {
    return reply.map((item) => ({ title: safe(item.title), description: safe(item.description), picurl: safe(item.picurl), url: safe(item.url) }));
  }
  return reply;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SLOW = Symbol('slow');

/**
 * A message's handling is a leased claim (lib/once.ts). WeChat retries ~5 s after a push it got
 * no answer to: the lease runs out before that, so the first retry after a crash takes the message
 * over. A live handler past it has missed WeChat's 5 s anyway.
 */
export const OA_MESSAGE_LEASE_MS = 4_500;
/**
 * WeChat stops retrying after three tries (~15 s): a claim is kept a few minutes past that (the
 * claim cleanup runs every 10 minutes), not longer — once_claims is on the hot path.
 */
export const OA_CLAIM_KEEP_MS = 5 * 60_000;
/** How long a retry waits for the attempt in progress: WeChat gives up on it after 5 s. */
const RETRY_WAIT_MS = 4_000;

/** Claim the message; a retry of one in progress waits for that answer, or takes it over when its lease runs out. */
async function claimMessage(key: string, receivedAt: Date, deadline: number): Promise<Attempt> {
  // A takeover handles the message as received the first time, so handlers that write what they
  // record idempotently (e.g. a scene with its time) do not record it twice.
  // Claims arriving together are inserted together; the done mark is the message's log record.
  const lease = {
    leaseMs: OA_MESSAGE_LEASE_MS,
    keepMs: OA_CLAIM_KEEP_MS,
    data: { receivedAt: receivedAt.toISOString() },
    carryData: true,
    grouped: true,
    doneElsewhere: () => handledMessage(key),
  };
  for (let taken = false; ; taken = true) {
    const attempt = await claimLease(`oa:${key}`, { ...lease, taken });
    if (attempt.kind !== 'busy' || Date.now() >= deadline) return attempt;
    await sleep(100);
  }
}

export function officialAccountEndpoint(router: Router, options: OfficialAccountEndpointOptions): void {
  const cryptor = options.aesKey ? new MessageCrypto(options.token, options.aesKey, options.appid) : undefined;
  const guard = officialAccountGuard({ token: options.token, appid: options.appid, cryptor, now: options.now });

  useMessageLogLogger(options.logger);
  if (options.flushHandlerWrites) useHandlerWrites(options.flushHandlerWrites);
  // The log record of a message (batched, off the reply path: message-log.ts).
  const record = (message: OaMessage, key: string, xml: string, receivedAt: Date, outcome: Pick<MessageLogRecord, 'status' | 'reply' | 'error'>) =>
    logMessage({
      _id: key,
      openid: message.FromUserName,
      msgType: message.MsgType,
      event: message.Event ?? null,
      eventKey: message.EventKey ?? null,
      msgId: message.MsgId ?? null,
      content: message.Content ?? null,
      xml,
      sentAt: new Date(Number(message.CreateTime) * 1000),
      receivedAt,
      handledAt: outcome.status === 'handled' ? new Date() : null,
      ...outcome,
    });

  // On the reply path: the claim's insert and the handler's own writes; the rest is batched.
  const process = async (message: OaMessage, xml: string): Promise<WeChatReply> => {
    const key = dedupeKey(message);
    const attempt = await claimMessage(key, new Date(options.now?.() ?? Date.now()), Date.now() + RETRY_WAIT_MS);
    if (attempt.kind === 'done') {
      const reply = (attempt.record.result ?? '') as WeChatReply;
      // Done by a claim's mark (an earlier version) or the log: logging again is a no-op if logged.
      const receivedAt = new Date(String(attempt.record.data?.receivedAt ?? new Date().toISOString()));
      record(message, key, xml, receivedAt, { status: 'handled', reply, error: null });
      return reply;
    }
    // Still in progress elsewhere: its own answer (or WeChat's next retry) covers it.
    if (attempt.kind === 'busy') return '';
    const receivedAt = new Date(String(attempt.claim.data?.receivedAt));
    const handling = (async () => {
      let reply: WeChatReply;
      try {
        reply = await options.handle(message, receivedAt);
      } catch (error) {
        // Failed, perhaps half-way: the next retry takes the message over at once (handlers write idempotently).
        await releaseLease(attempt.claim).catch(() => {});
        record(message, key, xml, receivedAt, { status: 'failed', reply: null, error: String(error) });
        throw error;
      }
      // The one write of the reply path is the claim's insert: the done mark — the message's log
      // record with its reply — goes in the next batch.
      record(message, key, xml, receivedAt, { status: 'handled', reply, error: null });
      return reply;
    })();
    if (!options.sendCustomMessage) return handling;
    // The handler's reply, or SLOW once WeChat's wait is nearly over (one timer, one promise: this
    // runs for every message).
    const first = await new Promise<WeChatReply | typeof SLOW>((resolve, reject) => {
      const timer = setTimeout(resolve, options.slowReplyMs ?? SLOW_REPLY_MS, SLOW);
      handling.then(
        (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
    if (first !== SLOW) return first;
    const send = options.sendCustomMessage;
    options.logger.warn({ openid: message.FromUserName, key }, 'official account handler is slow: answering empty, the reply follows as a customer-service message');
    void handling
      .then(async (reply) => {
        const custom = customMessageOf(message.FromUserName, reply);
        if (custom) await send(custom);
      })
      .catch((error: unknown) => options.logger.error({ err: error, openid: message.FromUserName, key }, 'late reply could not be delivered'));
    return '';
  };

  const middleware = wechat({ token: options.token, appid: options.appid }).middleware(async (raw, ctx) => {
    const parsed = messageShape.safeParse(raw);
    if (!parsed.success) throw new HandlerError(badRequest('WECHAT_MESSAGE_INVALID', '消息字段不完整或格式错误'));
    const message = parsed.data as OaMessage;
    if (!(KNOWN_MSG_TYPES as readonly string[]).includes(message.MsgType)) return '';
    try {
      // The guard keeps the (decrypted) XML as WeChat sent it.
      return cdataSafe(await process(message, String(ctx.state.wechatXml ?? '')));
    } catch (error) {
      options.logger.error({ err: error, openid: message.FromUserName, type: message.MsgType }, 'official account message failed');
      throw new HandlerError(error);
    }
  });

  router.get('/wechat/oa', guard, middleware);
  router.post('/wechat/oa', guard, middleware);
}
