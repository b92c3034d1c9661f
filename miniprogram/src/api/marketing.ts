// Micro-marketing calls of the mini-program: the campaign landing page (view tracking, material
// preview, intent form, opt-out) and 我的方案 (the campaigns meant for this person, the poster).
import Taro from '@tarojs/taro';
import {
  materialPreviewSchema,
  myCampaignSchema,
  pagedSchema,
  trackViewResultSchema,
  type IntentCreate,
  type MaterialPreview,
  type MyCampaign,
  type Paged,
  type TrackViewResult,
} from '@qiao/shared';
import { isWeChatBrowser } from '../utils/wechat-share';
import { apiBase } from './config';
import { h5Openid } from './login-code';
import { ApiError, NETWORK_ERROR_MESSAGE, parseApiError, request } from './request';
import { authedRequest, clearSession, ensureSession, keptSession, parseResponse } from './session';
import { uuidV4 } from '../utils/uuid';
import { ticketInUrl } from './web-auth';

const VISITOR_KEY = 'qiao.visitorId';
const VISITOR_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

let visitorInMemory: string | null = null;

/** The random id this browser (or mini-program install) keeps as an anonymous viewer. */
export function visitorId(): string {
  if (visitorInMemory) return visitorInMemory;
  try {
    const stored: unknown = Taro.getStorageSync(VISITOR_KEY);
    if (typeof stored === 'string' && VISITOR_PATTERN.test(stored)) return (visitorInMemory = stored);
  } catch {
    // Unreadable storage: a new id below.
  }
  const fresh = uuidV4();
  visitorInMemory = fresh;
  try {
    Taro.setStorageSync(VISITOR_KEY, fresh);
  } catch {
    // Private mode: the id lasts for this page only.
  }
  return fresh;
}

/**
 * The viewer's session token, or null for an anonymous view. weapp logs in silently (wx.login).
 * H5: a kept session, a web-authorisation ticket or a development identity in the URL; inside
 * WeChat without any, the page leaves for the silent web authorisation (snsapi_base) and comes
 * back to the same URL. Outside WeChat nobody is asked to log in.
 */
async function viewerToken(): Promise<string | null> {
  if (process.env.TARO_ENV !== 'h5') {
    try {
      return (await ensureSession()).token;
    } catch {
      return null;
    }
  }
  const kept = ticketInUrl() ? null : keptSession();
  if (kept) return kept.token;
  if (ticketInUrl() || h5Openid() || isWeChatBrowser()) {
    try {
      return (await ensureSession()).token;
    } catch {
      return null;
    }
  }
  return null;
}

/** `POST /track/view`: records this view and answers the campaign with the viewer's own token. */
export async function trackView(campaignId: string, s: string | undefined): Promise<TrackViewResult> {
  const body = { campaignId, visitorId: visitorId(), ...(s ? { s } : {}) };
  const token = await viewerToken();
  let data: unknown;
  try {
    data = await request<unknown>({ method: 'POST', path: '/api/v1/track/view', body, ...(token ? { token } : {}) });
  } catch (error) {
    // A session the server no longer knows: the view still counts, anonymously.
    if (!(token && error instanceof ApiError && error.status === 401)) throw error;
    clearSession();
    data = await request<unknown>({ method: 'POST', path: '/api/v1/track/view', body });
  }
  return parseResponse(trackViewResultSchema, data);
}

/** `GET /materials/preview?token=`: a material as the marketer's preview link shows it (not tracked). */
export async function loadPreview(token: string): Promise<MaterialPreview> {
  const data = await request<unknown>({ path: '/api/v1/materials/preview', query: { token } });
  return parseResponse(materialPreviewSchema, data);
}

/** `POST /campaigns/:id/intents` (public) → the lead's id. */
export async function submitIntent(campaignId: string, intent: IntentCreate): Promise<string> {
  const data = await request<{ leadId?: unknown }>({
    method: 'POST',
    path: `/api/v1/campaigns/${encodeURIComponent(campaignId)}/intents`,
    body: intent,
  });
  if (typeof data?.leadId !== 'string') throw new ApiError(0, 'BAD_RESPONSE', '服务返回的数据有误，请稍后重试');
  return data.leadId;
}

/** `POST /marketing/opt-out {token}`: the recipient of this share token receives no more campaigns. */
export async function optOut(token: string): Promise<void> {
  await request({ method: 'POST', path: '/api/v1/marketing/opt-out', body: { token } });
}

const myCampaignPageSchema = pagedSchema(myCampaignSchema);

/** A row of 我的方案 (keyed by `id` for the paged-list hook). */
export type MyCampaignItem = MyCampaign & { id: string };

/** `GET /me/campaigns?q=&page=`: the campaigns meant for the logged-in customer or staff member, newest first. */
export async function listMyCampaigns(q: string, page: number, pageSize: number): Promise<Paged<MyCampaignItem>> {
  const data = await authedRequest<unknown>({ path: '/api/v1/me/campaigns', query: { q: q || undefined, page, pageSize } });
  const result = parseResponse(myCampaignPageSchema, data);
  return { ...result, items: result.items.map((item) => ({ ...item, id: item.campaignId })) };
}

/** A server path (`/api/v1/files/…`) as a URL the platform can load: weapp needs the API host. */
export function absoluteUrl(url: string): string {
  if (!url.startsWith('/')) return url;
  if (process.env.TARO_ENV === 'h5') return `${window.location.origin}${url}`;
  return `${apiBase()}${url}`;
}

/**
 * `GET /campaigns/:id/poster` (a PNG, for the caller's session) as something an image can show:
 * H5 a blob: URL (an <img> cannot send the bearer token), weapp a downloaded temp file.
 */
export async function loadPoster(campaignId: string): Promise<string> {
  const path = `/api/v1/campaigns/${encodeURIComponent(campaignId)}/poster`;
  const fetchOnce = async (token: string): Promise<{ status: number; url?: string; body?: unknown }> => {
    if (process.env.TARO_ENV === 'h5') {
      const response = await fetch(`${apiBase()}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      if (!response.ok) return { status: response.status, body: await response.text() };
      return { status: response.status, url: URL.createObjectURL(await response.blob()) };
    }
    const result = await Taro.downloadFile({ url: `${apiBase()}${path}`, header: { Authorization: `Bearer ${token}` } });
    return result.statusCode >= 200 && result.statusCode < 300
      ? { status: result.statusCode, url: result.tempFilePath }
      : { status: result.statusCode, body: null };
  };
  let answer: Awaited<ReturnType<typeof fetchOnce>>;
  try {
    answer = await fetchOnce((await ensureSession()).token);
    if (answer.status === 401) {
      clearSession();
      answer = await fetchOnce((await ensureSession()).token);
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(0, 'NETWORK_ERROR', NETWORK_ERROR_MESSAGE);
  }
  if (answer.url) return answer.url;
  throw parseApiError(answer.status, answer.body);
}
