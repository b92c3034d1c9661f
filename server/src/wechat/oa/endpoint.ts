// GET/POST /wechat/oa — the Official Account's message endpoint (co-wechat behind our guard).
// WeChat retries a push it got no answer to within 5 s, up to 3 times: every message is claimed
// once in the database by its dedupe key, and a retry (in this or another process) gets the
// stored reply instead of being handled again.
import type Router from '@koa/router';
import wechat, { type WeChatReply } from 'co-wechat';
import { z } from 'zod';
import { badRequest } from '../../errors.js';
import { isDuplicateKey } from '../../lib/db.js';
import type { Logger } from '../../logger.js';
import type { OaMessage } from '../../modules/official-account/message-handlers.js';
import { MessageCrypto } from './crypto.js';
import { HandlerError, officialAccountGuard } from './guard.js';
import { InboundMessage, type InboundMessageDoc } from './message.model.js';

export interface OfficialAccountEndpointOptions {
  token: string;
  appid: string;
  aesKey?: string;
  logger: Logger;
  handle: (message: OaMessage, receivedAt: Date) => Promise<WeChatReply>;
  now?: () => number;
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

/** A retry of a message being handled elsewhere waits for that answer, within WeChat's 5 s. */
async function awaitStoredReply(key: string, deadline: number): Promise<InboundMessageDoc | null> {
  while (Date.now() < deadline) {
    const stored = await InboundMessage.findById(key).lean<InboundMessageDoc>();
    if (!stored || stored.status !== 'processing') return stored;
    await sleep(100);
  }
  return null;
}

export function officialAccountEndpoint(router: Router, options: OfficialAccountEndpointOptions): void {
  const cryptor = options.aesKey ? new MessageCrypto(options.token, options.aesKey, options.appid) : undefined;
  const guard = officialAccountGuard({ token: options.token, appid: options.appid, cryptor, now: options.now });

  const process = async (message: OaMessage, xml: string): Promise<WeChatReply> => {
    const key = dedupeKey(message);
    const receivedAt = new Date(options.now?.() ?? Date.now());
    try {
      await new InboundMessage({
        _id: key,
        openid: message.FromUserName,
        msgType: message.MsgType,
        event: message.Event ?? null,
        eventKey: message.EventKey ?? null,
        msgId: message.MsgId ?? null,
        content: message.Content ?? null,
        xml,
        sentAt: new Date(Number(message.CreateTime) * 1000),
        status: 'processing',
      }).save();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const stored = await awaitStoredReply(key, Date.now() + 4_000);
      if (stored?.status === 'handled') return (stored.reply ?? '') as WeChatReply;
      // Still in progress elsewhere, or that attempt failed: its own answer (or WeChat's next retry) covers it.
      const claimed = stored?.status === 'failed' && (await InboundMessage.updateOne({ _id: key, status: 'failed' }, { $set: { status: 'processing' } })).modifiedCount === 1;
      if (!claimed) return '';
    }
    try {
      const reply = await options.handle(message, receivedAt);
      await InboundMessage.updateOne({ _id: key }, { $set: { status: 'handled', reply, handledAt: new Date() } });
      return reply;
    } catch (error) {
      await InboundMessage.updateOne({ _id: key }, { $set: { status: 'failed', error: String(error) } }).catch(() => {});
      throw error;
    }
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
