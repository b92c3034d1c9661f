import Taro from '@tarojs/taro';
import { ApiError, request } from './request';

/** localStorage key of the pretend openid an H5 browser uses against the WeChat sandbox. */
export const H5_OPENID_KEY = 'qiao.h5.openid';
const OPENID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A URL parameter before the hash (`/h5/?openid=x#/…`) or inside it (`#/…?openid=x`). */
function paramFromUrl(name: 'openid' | 'unionid'): string | null {
  const { search, hash } = window.location;
  const hashQuery = hash.includes('?') ? hash.slice(hash.indexOf('?')) : '';
  for (const query of [search, hashQuery]) {
    const value = new URLSearchParams(query).get(name)?.trim();
    if (value && OPENID_PATTERN.test(value)) return value;
  }
  return null;
}

function openidFromUrl(): string | null {
  return paramFromUrl('openid');
}

/**
 * H5 only: `?unionid=` from the URL, handed to the sandbox with the openid so that the
 * mini-program user is linked to the Official Account follower with the same unionid.
 * Without it the sandbox keeps whatever unionid it knew for the openid.
 */
export function h5Unionid(): string | null {
  if (process.env.TARO_ENV !== 'h5') return null;
  return paramFromUrl('unionid');
}

function readStoredOpenid(): string | null {
  try {
    const value = window.localStorage.getItem(H5_OPENID_KEY);
    return value && OPENID_PATTERN.test(value) ? value : null;
  } catch {
    return null;
  }
}

function storeOpenid(openid: string): void {
  try {
    window.localStorage.setItem(H5_OPENID_KEY, openid);
  } catch {
    // Private mode without storage: the identity lasts for this page only.
  }
}

/**
 * Development identity in H5 (the sandbox's pretend mini-program login): `?openid=` wins (and is
 * remembered), else the one kept in localStorage, else null — then H5 logs in through the Official
 * Account's web authorisation instead. Null outside H5.
 */
export function h5Openid(): string | null {
  if (process.env.TARO_ENV !== 'h5') return null;
  const fromUrl = openidFromUrl();
  if (fromUrl) {
    storeOpenid(fromUrl);
    return fromUrl;
  }
  return readStoredOpenid();
}

/** The `?openid=` of the current URL (H5), which asks for that development identity now. */
export function h5OpenidInUrl(): string | null {
  return process.env.TARO_ENV === 'h5' ? openidFromUrl() : null;
}

/** After a web-authorisation login the remembered development identity no longer applies. */
export function forgetH5Openid(): void {
  try {
    window.localStorage.removeItem(H5_OPENID_KEY);
  } catch {
    // Nothing stored.
  }
}

async function weappLoginCode(): Promise<string> {
  try {
    const result = await Taro.login();
    if (result.code) return result.code;
  } catch {
    // Reported below.
  }
  throw new ApiError(0, 'WX_LOGIN_FAILED', '微信登录失败，请稍后重试');
}

/** H5 has no wx.login: the Qiao server's WeChat sandbox hands out a code for a pretend openid. */
async function h5LoginCode(): Promise<string> {
  const openid = h5Openid();
  if (!openid) throw new ApiError(0, 'SANDBOX_LOGIN_FAILED', '登录失败，请稍后重试');
  const unionid = h5Unionid();
  const result = await request<{ code?: unknown }>({
    method: 'POST',
    path: '/sandbox/mp/login-code',
    body: unionid ? { openid, unionid } : { openid },
  });
  if (typeof result?.code === 'string' && result.code) return result.code;
  throw new ApiError(0, 'SANDBOX_LOGIN_FAILED', '登录失败，请稍后重试');
}

/** A one-time login code for `POST /api/v1/auth/mp-login`, per platform. */
export function getLoginCode(): Promise<string> {
  return process.env.TARO_ENV === 'h5' ? h5LoginCode() : weappLoginCode();
}
