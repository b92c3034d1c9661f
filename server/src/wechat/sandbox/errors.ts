// WeChat's error codes and English errmsg texts as the real servers answer them. WeChat always
// answers HTTP 200 with `{"errcode":N,"errmsg":"… rid: …"}`; the rid is a request id for support.
import { randomBytes } from 'node:crypto';

export const ERRMSG = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40004: 'invalid media type',
  40005: 'invalid file type',
  40007: 'invalid media_id',
  40009: 'invalid image size',
  40008: 'invalid message type',
  40013: 'invalid appid',
  40016: 'invalid button size',
  40017: 'invalid button type',
  40018: 'invalid button name size',
  40019: 'invalid button key size',
  40020: 'invalid button url size',
  40023: 'invalid sub button size',
  40024: 'invalid sub button type',
  40025: 'invalid sub button name size',
  40026: 'invalid sub button key size',
  40027: 'invalid sub button url size',
  40029: 'invalid code',
  40032: 'invalid openid list size',
  40037: 'invalid template_id',
  40052: 'invalid action name',
  40053: 'invalid action info, please check document',
  40097: 'invalid args',
  40125: 'invalid appsecret',
  40130: 'invalid openid list size, at least two openid',
  40152: 'invalid group id',
  40163: 'code been used',
  41001: 'access_token missing',
  41002: 'appid missing',
  41004: 'appsecret missing',
  41005: 'media data missing',
  41008: 'missing code',
  42001: 'access_token expired',
  43001: 'require GET method',
  43002: 'require POST method',
  43004: 'require subscribe',
  43101: 'user refuse to accept the msg',
  44002: 'empty post data',
  44004: 'empty content',
  46003: 'menu no exist',
  45002: 'content size out of limit',
  45003: 'title size out of limit',
  45004: 'description size out of limit',
  45005: 'url size out of limit',
  45008: 'article size out of limit',
  45009: 'reach max api daily quota limit',
  45015: 'response out of time limit or subscription is canceled',
  45047: 'out of response count limit',
  45056: 'too many tags now, no need to add new',
  45057: "can't delete the tag that has too many fans",
  45058: "can't modify sys tag",
  45059: 'too many tag in user',
  45065: 'clientmsgid exist',
  45067: 'clientmsgid size out of limit',
  45110: 'author size out of limit',
  45157: 'invalid tag name',
  45158: 'tag name too long',
  45159: 'invalid tag id',
  47001: 'data format error',
  47003: 'argument invalid!',
  48001: 'api unauthorized',
} as const satisfies Record<number, string>;

export type WeChatErrcode = keyof typeof ERRMSG;

/** A WeChat-style request id: `rid: 6299e87e-5ed9e599-0d046b47`. */
export function rid(): string {
  const hex = randomBytes(12).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16, 24)}`;
}

export function errorBody(errcode: WeChatErrcode, detail?: string): { errcode: number; errmsg: string } {
  const text = detail ? `${ERRMSG[errcode]}: ${detail}` : ERRMSG[errcode];
  return { errcode, errmsg: `${text} rid: ${rid()}` };
}

/** Thrown by sandbox handlers; the router turns it into WeChat's error JSON (HTTP 200). */
export class SandboxWeChatError extends Error {
  constructor(
    readonly errcode: WeChatErrcode,
    readonly detail?: string,
    readonly extra: Record<string, unknown> = {},
    /** WeChat answers errors with 200; control endpoints use a real HTTP status. */
    readonly status = 200,
  ) {
    super(`${errcode} ${ERRMSG[errcode]}`);
    this.name = 'SandboxWeChatError';
  }
}

export const wxError = (errcode: WeChatErrcode, detail?: string, extra?: Record<string, unknown>) =>
  new SandboxWeChatError(errcode, detail, extra);

/** Input errors of the sandbox's own control endpoints: HTTP 400 with a WeChat-shaped body. */
export const controlError = (detail: string, errcode: WeChatErrcode = 47001, status = 400) =>
  new SandboxWeChatError(errcode, detail, {}, status);

export function ok<T extends Record<string, unknown>>(extra?: T): { errcode: 0; errmsg: 'ok' } & T {
  return { errcode: 0, errmsg: 'ok', ...(extra as T) };
}
