// What co-wechat does not do for us: a body limit that answers 413, a timestamp window,
// constant-time signature checks, the decrypted appid check, and 400 for malformed XML.
// After this guard, co-wechat parses, decrypts (with our MessageCrypto) and renders the reply.
import type { Context, Middleware } from 'koa';
import getRawBody from 'raw-body';
import { parseStringPromise } from 'xml2js';
import { AppError, badRequest, unauthorized } from '../../errors.js';
import { DecryptError, MessageCrypto, sha1Signature, signaturesEqual } from './crypto.js';

export const MAX_BODY_BYTES = 1024 * 1024;
/** WeChat signs each push with its send time; older or future requests are replays. */
export const MAX_CLOCK_SKEW_SECONDS = 300;

export interface GuardOptions {
  token: string;
  appid: string;
  cryptor?: MessageCrypto;
  now?: () => number;
}

/** Marks an error thrown by our message handler, so the guard does not mistake it for bad XML. */
export class HandlerError extends Error {
  constructor(readonly original: unknown) {
    super('message handler failed');
  }
}

const signatureInvalid = () => unauthorized('WECHAT_SIGNATURE_INVALID', '签名校验失败');
const query = (ctx: Context, name: string) => (typeof ctx.query[name] === 'string' ? (ctx.query[name] as string) : undefined);

function checkTimestamp(ctx: Context, now: number) {
  const timestamp = query(ctx, 'timestamp');
  const nonce = query(ctx, 'nonce');
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !nonce) throw signatureInvalid();
  if (Math.abs(now / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) {
    throw unauthorized('WECHAT_TIMESTAMP_EXPIRED', '请求时间戳已过期');
  }
  return { timestamp, nonce };
}

async function readBody(ctx: Context): Promise<string> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > MAX_BODY_BYTES) throw new AppError(413, 'PAYLOAD_TOO_LARGE', '请求内容过大');
  try {
    return await getRawBody(ctx.req, { limit: MAX_BODY_BYTES, encoding: 'utf-8' });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') throw new AppError(413, 'PAYLOAD_TOO_LARGE', '请求内容过大');
    throw badRequest('BAD_REQUEST', '请求格式错误');
  }
}

async function encryptedPart(xml: string): Promise<string> {
  let parsed: { xml?: { Encrypt?: unknown[] } };
  try {
    parsed = await parseStringPromise(xml, { trim: true });
  } catch {
    throw badRequest('WECHAT_XML_MALFORMED', '消息格式错误');
  }
  const encrypt = parsed?.xml?.Encrypt?.[0];
  if (typeof encrypt !== 'string' || encrypt === '') throw badRequest('WECHAT_XML_MALFORMED', '消息格式错误');
  return encrypt;
}

/** Query parameters co-wechat reads itself: a repeated one (an array) would confuse it. */
const WECHAT_PARAMS = ['signature', 'timestamp', 'nonce', 'echostr', 'encrypt_type', 'msg_signature', 'openid'];

export function officialAccountGuard(options: GuardOptions): Middleware {
  const now = options.now ?? Date.now;
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'POST') throw new AppError(405, 'METHOD_NOT_ALLOWED', '不支持该请求方法');
    if (WECHAT_PARAMS.some((name) => Array.isArray(ctx.query[name]))) throw badRequest('BAD_REQUEST', '请求格式错误');
    const { timestamp, nonce } = checkTimestamp(ctx, now());
    if (ctx.method === 'GET' && !query(ctx, 'echostr')) throw badRequest('BAD_REQUEST', '请求格式错误');
    const encrypted = query(ctx, 'encrypt_type') === 'aes';

    if (ctx.method === 'GET' || !encrypted) {
      // URL verification and plain-mode messages: signature = sha1(sort(token, timestamp, nonce)).
      if (!signaturesEqual(sha1Signature(options.token, timestamp, nonce), query(ctx, 'signature'))) throw signatureInvalid();
    }
    if (ctx.method === 'POST') {
      const xml = await readBody(ctx);
      if (encrypted) {
        if (!options.cryptor) throw badRequest('WECHAT_SAFE_MODE_DISABLED', '未配置消息加解密密钥');
        const encrypt = await encryptedPart(xml);
        if (!signaturesEqual(options.cryptor.getSignature(timestamp, nonce, encrypt), query(ctx, 'msg_signature'))) {
          throw signatureInvalid();
        }
        let decrypted: { message: string; id: string };
        try {
          decrypted = options.cryptor.decrypt(encrypt);
        } catch (error) {
          if (error instanceof DecryptError) throw badRequest('WECHAT_DECRYPT_FAILED', '消息解密失败');
          throw error;
        }
        if (decrypted.id !== options.appid) throw unauthorized('WECHAT_APPID_MISMATCH', '消息不属于本公众号');
        (ctx as Context & { wx_cryptor?: MessageCrypto }).wx_cryptor = options.cryptor;
        ctx.state.wechatXml = decrypted.message;
      } else {
        ctx.state.wechatXml = xml;
      }
      // co-wechat takes a string body as the XML instead of reading the stream again.
      (ctx.request as { body?: unknown }).body = xml;
    }

    try {
      await next();
    } catch (error) {
      if (error instanceof HandlerError) throw error.original;
      if (error instanceof AppError) throw error;
      // Anything co-wechat throws before our handler runs is a parse failure of WeChat's XML.
      throw badRequest('WECHAT_XML_MALFORMED', '消息格式错误');
    }
    if (ctx.status === 401) throw signatureInvalid();
    // URL verification echoes echostr: as text, never as HTML a browser would render.
    if (ctx.method === 'GET') ctx.type = 'text/plain';
  };
}
