// JS-SDK configuration of the H5 landing page (WeChat: "JS-SDK 说明", 附录1 签名算法): wx.config
// needs sha1 over `jsapi_ticket=…&noncestr=…&timestamp=…&url=…` with the page URL up to its `#`,
// raw (not URL-escaped). The ticket is valid 7200 s and its grants are limited: it is kept in the
// same shared store as the access token (every process uses the same one) and in memory.
import { createHash, randomBytes } from 'node:crypto';
import type { JsConfig } from '@qiao/shared';
import { badRequest } from '../../errors.js';

export interface JsSdkDeps {
  appid: string;
  /** The configured public origin (PUBLIC_BASE_URL): the only pages that get a signature. */
  publicBaseUrl: string;
  /** cgi-bin/ticket/getticket?type=jsapi */
  fetchTicket(): Promise<{ ticket: string; expires_in: number }>;
  /** Shared across processes (the access-token store, under its own key). */
  store: { get(key: string): Promise<{ token: string; expiresAt: Date } | null>; save(key: string, token: string, expiresAt: Date): Promise<void> };
  now?: () => number;
}

/** What the landing page uses: the new share APIs and the old ones (older WeChat clients). */
export const JS_API_LIST = ['updateAppMessageShareData', 'updateTimelineShareData', 'onMenuShareAppMessage', 'onMenuShareTimeline'];
/** A ticket this close to expiry is renewed (pages signed just before would fail otherwise). */
export const TICKET_MARGIN_MS = 5 * 60_000;

/** WeChat's signature of a page URL (the part before `#` signs; the caller strips it). */
export function jsapiSignature(ticket: string, nonceStr: string, timestamp: number, url: string): string {
  const plain = `jsapi_ticket=${ticket}&noncestr=${nonceStr}&timestamp=${timestamp}&url=${url}`;
  return createHash('sha1').update(plain).digest('hex');
}

const memory = new Map<string, { ticket: string; expiresAt: number }>();
const pending = new Map<string, Promise<string>>();

async function jsapiTicket(deps: JsSdkDeps): Promise<string> {
  const now = (deps.now ?? Date.now)();
  const key = `jsapi_ticket:${deps.appid}`;
  const cached = memory.get(key);
  if (cached && cached.expiresAt - TICKET_MARGIN_MS > now) return cached.ticket;
  // One fetch at a time per process; other processes read what it stored.
  let fetching = pending.get(key);
  if (!fetching) {
    fetching = (async () => {
      const stored = await deps.store.get(key);
      if (stored && stored.expiresAt.getTime() - TICKET_MARGIN_MS > now) {
        memory.set(key, { ticket: stored.token, expiresAt: stored.expiresAt.getTime() });
        return stored.token;
      }
      const fresh = await deps.fetchTicket();
      const expiresAt = now + fresh.expires_in * 1000;
      await deps.store.save(key, fresh.ticket, new Date(expiresAt));
      memory.set(key, { ticket: fresh.ticket, expiresAt });
      return fresh.ticket;
    })().finally(() => pending.delete(key));
    pending.set(key, fetching);
  }
  return fetching;
}

/** The page URL as signed: only pages of the public origin, without the fragment. */
export function signableUrl(url: string, publicBaseUrl: string): string {
  const page = url.split('#')[0]!;
  let origin: string;
  try {
    origin = new URL(page).origin;
  } catch {
    throw badRequest('INVALID_URL', '页面地址无效');
  }
  if (origin !== new URL(publicBaseUrl).origin) throw badRequest('URL_NOT_ALLOWED', '该页面地址不能使用微信分享');
  return page;
}

export async function jsConfig(url: string, deps: JsSdkDeps): Promise<JsConfig> {
  const page = signableUrl(url, deps.publicBaseUrl);
  const ticket = await jsapiTicket(deps);
  const timestamp = Math.floor((deps.now ?? Date.now)() / 1000);
  const nonceStr = randomBytes(12).toString('base64url');
  return { appId: deps.appid, timestamp, nonceStr, signature: jsapiSignature(ticket, nonceStr, timestamp, page), jsApiList: JS_API_LIST };
}
