// H5 login through the Official Account's web authorisation (网页授权, snsapi_base): a state that
// cannot be forged or replayed, the code exchanged for the openid (and unionid), a customer session
// for that WeChat user handed to the H5 app as a one-time ticket in the URL fragment — never the
// bearer token in a URL.
import { createHash, randomBytes } from 'node:crypto';
import type { CustomerSession } from '@qiao/shared';
import { AppError, badRequest } from '../../errors.js';
import { takeOnce } from '../../lib/once.js';
import { loadCustomerUser } from './customer-user.service.js';
import { createSession } from './session.service.js';
import { WebAuthState, WebAuthTicket } from './web-auth.model.js';
import type { WeChatUserDoc } from './wechat-user.model.js';
import { findWeChatUser, linkUnionid, recordSubscribe, resolveWeChatUser } from './wechat-user.service.js';

export const WEB_AUTH_LIFETIMES = { stateMs: 10 * 60_000, ticketMs: 2 * 60_000 };
/** Where H5 links go when no (valid) redirect is given. */
export const H5_HOME = '/h5/';
export const TICKET_PARAM = 'qiao_ticket';
export const START_PATH = '/api/v1/auth/oauth/start';
export const CALLBACK_PATH = '/api/v1/auth/oauth/callback';
/** Real WeChat's authorize page only opens inside WeChat. */
export const WECHAT_OPEN_BASE = 'https://open.weixin.qq.com';

/** sns/oauth2/access_token: code → who. Errors carry WeChat's `errcode`. */
export interface WebAuthSource {
  exchangeCode(code: string): Promise<{ openid: string; unionid?: string }>;
  /**
   * cgi-bin/user/info of the Official Account: snsapi_base says who, not whether they follow — a
   * follower whose follow event Qiao never saw (followed before Qiao, or a lost push) is learnt here.
   */
  followerInfo?(openid: string): Promise<{ subscribe: 0 | 1; unionid?: string; subscribe_time?: number }>;
}

/** Best effort: what WeChat says of the follower, recorded; a failure never blocks the login. */
async function learnFollowState(user: WeChatUserDoc, openid: string, wechat: WebAuthSource, now: Date): Promise<string> {
  if ((user.subscribed && user.unionid) || !wechat.followerInfo) return user._id;
  let info: Awaited<ReturnType<NonNullable<WebAuthSource['followerInfo']>>>;
  try {
    info = await wechat.followerInfo(openid);
  } catch {
    return user._id;
  }
  if (info.unionid && !user.unionid) await linkUnionid(user._id, info.unionid);
  if (info.subscribe === 1 && !user.subscribed) {
    await recordSubscribe(openid, null, info.subscribe_time ? new Date(info.subscribe_time * 1000) : now);
  }
  return (await findWeChatUser('oa', openid))?._id ?? user._id;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const randomKey = () => randomBytes(32).toString('base64url');
const KEY_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** WeChat carries state as at most 128 bytes of a-zA-Z0-9: hex. */
const randomState = () => randomBytes(32).toString('hex');
const STATE_PATTERN = /^[0-9a-f]{64}$/;

/**
 * A path inside the H5 app, or null. Only same-origin `/h5…` paths: no scheme, no `//host`, no
 * backslashes or control characters (an open redirect would hand the ticket to someone else).
 */
export function safeH5Path(redirect: string | undefined): string | null {
  if (!redirect) return null;
  if (!/^\/h5(\/|\?|#|$)/.test(redirect)) return null;
  if (/[\\\u0000-\u001f\u007f\s]/.test(redirect) || redirect.includes('//')) return null;
  return redirect === '/h5' ? H5_HOME : redirect;
}

/** The link to put in what WeChat delivers: through the start route, landing on `h5Path`. */
export function webAuthLink(publicBaseUrl: string, h5Path: string = H5_HOME): string {
  return `${publicBaseUrl}${START_PATH}?redirect=${encodeURIComponent(h5Path)}`;
}

/** The H5 path with the ticket added to the hash route's query (Taro's H5 router uses the hash). */
export function landingUrl(redirect: string, ticket: string): string {
  const hashAt = redirect.indexOf('#');
  const base = hashAt === -1 ? redirect : redirect.slice(0, hashAt);
  const route = hashAt === -1 ? '/pages/index/index' : redirect.slice(hashAt + 1) || '/pages/index/index';
  return `${base}#${route}${route.includes('?') ? '&' : '?'}${TICKET_PARAM}=${ticket}`;
}

export const isWeChatBrowser = (userAgent: string | undefined) => /MicroMessenger/i.test(userAgent ?? '');

export interface StartInput {
  redirect: string | undefined;
  /** The browser's key from its cookie, if it has one (reused, so two tabs do not fight). */
  browserKey: string | undefined;
  appid: string;
  /** `https://open.weixin.qq.com`, or the sandbox's base. */
  openBase: string;
  callbackUrl: string;
  now?: Date;
}

/** A new state bound to this browser → the authorize URL and the cookie value to set. */
export async function startWebAuth(input: StartInput): Promise<{ authorizeUrl: string; browserKey: string }> {
  const now = input.now ?? new Date();
  const browserKey = input.browserKey && KEY_PATTERN.test(input.browserKey) ? input.browserKey : randomKey();
  const state = randomState();
  await WebAuthState.create({
    _id: state,
    redirect: safeH5Path(input.redirect) ?? H5_HOME,
    browserHash: sha256(browserKey),
    expiresAt: new Date(now.getTime() + WEB_AUTH_LIFETIMES.stateMs),
  });
  const query = new URLSearchParams({
    appid: input.appid,
    redirect_uri: input.callbackUrl,
    response_type: 'code',
    scope: 'snsapi_base',
    state,
  });
  // WeChat wants its parameters in this order and the #wechat_redirect fragment.
  return { authorizeUrl: `${input.openBase}/connect/oauth2/authorize?${query}#wechat_redirect`, browserKey };
}

const stateRefused = () => new AppError(403, 'OAUTH_STATE_INVALID', '登录请求无效或已被篡改，请返回微信重新打开链接');
const stateUsed = () => new AppError(403, 'OAUTH_STATE_USED', '该登录链接已使用过，请返回微信重新打开链接');
const stateExpired = () => new AppError(403, 'OAUTH_STATE_EXPIRED', '登录已超时，请返回微信重新打开链接');

/** WeChat errcodes meaning "this code is no good": invalid, used, expired. */
const BAD_CODE_ERRCODES = new Set([40029, 40163, 42003]);

export interface CallbackInput {
  code: string | undefined;
  state: string | undefined;
  browserKey: string | undefined;
  now?: Date;
}

/** Check the state (once), exchange the code, log the follower in → where to send the browser. */
export async function finishWebAuth(input: CallbackInput, wechat: WebAuthSource): Promise<{ location: string }> {
  const now = input.now ?? new Date();
  if (!input.state || !STATE_PATTERN.test(input.state)) throw stateRefused();
  const record = await WebAuthState.findById(input.state).lean();
  if (!record) throw stateRefused();
  // A state is only good in the browser that started it (login CSRF: someone else's callback URL).
  if (!input.browserKey || sha256(input.browserKey) !== record.browserHash) throw stateRefused();
  if (record.expiresAt <= now) throw stateExpired();
  if (!(await takeOnce(`oauth-state:${input.state}`, { keepMs: WEB_AUTH_LIFETIMES.stateMs * 2, now }))) throw stateUsed();
  if (!input.code) throw badRequest('OAUTH_DENIED', '未获得微信授权，请返回微信重新打开链接');

  let identity: { openid: string; unionid?: string };
  try {
    identity = await wechat.exchangeCode(input.code);
  } catch (error) {
    const errcode = (error as { errcode?: number }).errcode;
    if (errcode !== undefined && BAD_CODE_ERRCODES.has(errcode)) {
      throw badRequest('OAUTH_CODE_INVALID', '微信授权已失效，请返回微信重新打开链接');
    }
    throw new AppError(502, 'WECHAT_UNAVAILABLE', '微信服务暂时不可用，请稍后重试');
  }
  const user = await resolveWeChatUser('oa', identity.openid, identity.unionid ?? null);
  const wechatUserId = await learnFollowState(user, identity.openid, wechat, now);
  const ticket = randomKey();
  await WebAuthTicket.create({ _id: sha256(ticket), wechatUserId, expiresAt: new Date(now.getTime() + WEB_AUTH_LIFETIMES.ticketMs) });
  return { location: landingUrl(record.redirect, ticket) };
}

const ticketRefused = () => new AppError(401, 'OAUTH_TICKET_INVALID', '登录票据无效或已使用，请重新打开链接');

/** The H5 app trades its one-time ticket for a customer session. */
export async function redeemTicket(ticket: string, now = new Date()): Promise<CustomerSession> {
  const id = sha256(ticket);
  const record = await WebAuthTicket.findById(id).lean();
  if (!record || record.expiresAt <= now) throw ticketRefused();
  if (!(await takeOnce(`oauth-ticket:${id}`, { keepMs: WEB_AUTH_LIFETIMES.ticketMs * 2, now }))) throw ticketRefused();
  const user = await loadCustomerUser(record.wechatUserId);
  const session = await createSession('customer', user.id, now);
  return { token: session.token, expiresAt: session.expiresAt.toISOString(), user };
}

/** FerretDB has no TTL indexes: the cleanup job removes what has expired. */
export async function deleteExpiredWebAuth(now = new Date()): Promise<void> {
  await WebAuthState.deleteMany({ expiresAt: { $lte: now } });
  await WebAuthTicket.deleteMany({ expiresAt: { $lte: now } });
}

