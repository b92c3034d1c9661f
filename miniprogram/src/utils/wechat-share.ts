// Sharing a campaign with the viewer's own token in the link. WeChat does not tell a page that it
// was shared, so the share path is rebuilt from landings: every link a viewer passes on must carry
// THEIR token. H5 inside WeChat: the JS-SDK's share data (wx.config signed by the server);
// elsewhere (or when the SDK cannot load) the page shows the link to copy. weapp uses the page's
// onShareAppMessage / onShareTimeline hooks with the same query (see pages/campaign/index.tsx).
import { jsConfigSchema, type JsConfig } from '@qiao/shared';
import { request } from '../api/request';
import { parseResponse } from '../api/session';

export const JSSDK_URL = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js';
const SHARE_APIS = ['updateAppMessageShareData', 'updateTimelineShareData'];
const SDK_TIMEOUT_MS = 8_000;

interface ShareData {
  title: string;
  link: string;
  imgUrl: string;
  desc?: string;
  success?: () => void;
  fail?: (error: unknown) => void;
}

/** The part of WeChat's JS-SDK (`window.wx`) used here. */
export interface WeChatJsSdk {
  config(options: JsConfig & { debug: boolean }): void;
  ready(callback: () => void): void;
  error(callback: (error: unknown) => void): void;
  updateAppMessageShareData(data: ShareData): void;
  updateTimelineShareData(data: ShareData): void;
}

declare global {
  interface Window {
    wx?: WeChatJsSdk;
  }
}

export interface ShareContent {
  title: string;
  desc: string;
  /** Absolute link to the landing page with the viewer's own token. */
  link: string;
  /** Absolute image URL ('' for none). */
  imgUrl: string;
}

/** The mini-program page path of a campaign landing, with the viewer's own token. */
export const CAMPAIGN_PAGE = 'pages/campaign/index';

/** `id=<campaignId>&s=<token>`: the query every share carries (weapp path/query, H5 hash route). */
export function shareQuery(campaignId: string, token: string): string {
  return `id=${encodeURIComponent(campaignId)}&s=${encodeURIComponent(token)}`;
}

/**
 * H5: the plain URL of the landing page for someone else, with `s=<my token>` — this app's own
 * path (`/h5/`), never the opener's development identity or login ticket.
 */
export function h5ShareLink(campaignId: string, token: string): string {
  const { origin, pathname } = window.location;
  return `${origin}${pathname}#/${CAMPAIGN_PAGE}?${shareQuery(campaignId, token)}`;
}

/** True in WeChat's built-in browser (where the JS-SDK and the web authorisation work). */
export function isWeChatBrowser(): boolean {
  if (process.env.TARO_ENV !== 'h5') return false;
  return /MicroMessenger/i.test(window.navigator.userAgent);
}

let sdkLoading: Promise<WeChatJsSdk | null> | null = null;

/** `window.wx`, loading WeChat's script once when absent; null when it cannot load (offline, blocked). */
function loadSdk(): Promise<WeChatJsSdk | null> {
  if (window.wx) return Promise.resolve(window.wx);
  sdkLoading ??= new Promise<WeChatJsSdk | null>((resolve) => {
    const script = document.createElement('script');
    const timer = setTimeout(() => done(), SDK_TIMEOUT_MS);
    function done(): void {
      clearTimeout(timer);
      resolve(window.wx ?? null);
    }
    script.src = JSSDK_URL;
    script.async = true;
    script.onload = done;
    script.onerror = done;
    document.head.appendChild(script);
  }).then((sdk) => {
    // A later page may try again (e.g. the network came back).
    if (!sdk) sdkLoading = null;
    return sdk;
  });
  return sdkLoading;
}

/** `GET /wechat/js-config?url=`: the signature is over this page's URL without the fragment. */
async function jsConfig(): Promise<JsConfig> {
  const url = window.location.href.split('#')[0] ?? window.location.href;
  const data = await request<unknown>({ path: '/api/v1/wechat/js-config', query: { url } });
  return parseResponse(jsConfigSchema, data);
}

/** wx.config → ready, or the config's error; gives up after a while (an SDK that never answers). */
function configure(sdk: WeChatJsSdk, config: JsConfig): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), SDK_TIMEOUT_MS);
    sdk.ready(() => {
      clearTimeout(timer);
      resolve(true);
    });
    sdk.error(() => {
      clearTimeout(timer);
      resolve(false);
    });
    sdk.config({ debug: false, ...config, jsApiList: SHARE_APIS });
  });
}

/**
 * H5: puts `content` into WeChat's share menu (朋友 and 朋友圈). Tried when the page runs inside
 * WeChat or `window.wx` is already there; true when WeChat accepted the share data, false when the
 * page should offer the link to copy instead. Never throws.
 */
export async function setUpWeChatShare(content: ShareContent): Promise<boolean> {
  if (process.env.TARO_ENV !== 'h5') return false;
  if (!window.wx && !isWeChatBrowser()) return false;
  try {
    const sdk = await loadSdk();
    if (!sdk) return false;
    const config = await jsConfig();
    if (!(await configure(sdk, config))) return false;
    const data: ShareData = { title: content.title, desc: content.desc, link: content.link, imgUrl: content.imgUrl };
    sdk.updateAppMessageShareData(data);
    sdk.updateTimelineShareData({ title: content.title, link: content.link, imgUrl: content.imgUrl });
    return true;
  } catch {
    return false;
  }
}
