import Taro from '@tarojs/taro';
import {
  customerSessionSchema,
  customerUserSchema,
  mpLoginRequestSchema,
  type CustomerSession,
  type CustomerUser,
} from '@qiao/shared';
import { forgetH5Openid, getLoginCode, h5Openid, h5OpenidInUrl, h5Unionid } from './login-code';
import { dropTicketFromUrl, startWebAuth, ticketInUrl } from './web-auth';
import { ApiError, request, type RequestOptions } from './request';

const SESSION_KEY = 'qiao.session';
/** Log in again this long before the token expires. */
const EXPIRY_MARGIN_MS = 60_000;

let cached: StoredSession | null = null;
let pendingLogin: Promise<CustomerSession> | null = null;

interface StoredSession {
  session: CustomerSession;
  /** H5 only: the sandbox openid the session belongs to (a `?openid=` switch needs a new login). */
  h5Openid: string | null;
  /** H5 only: the `?unionid=` the login was made with (a different one in the URL needs a new login). */
  h5Unionid: string | null;
}

/** The part of a zod schema used here (keeps zod itself a dependency of @qiao/shared only). */
interface Schema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false };
}

/** Checks a response body against its shared schema. */
export function parseResponse<T>(schema: Schema<T>, data: unknown): T {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new ApiError(0, 'BAD_RESPONSE', '服务返回的数据有误，请稍后重试');
}

function isFresh(session: CustomerSession): boolean {
  const expiresAt = Date.parse(session.expiresAt);
  return Number.isFinite(expiresAt) && expiresAt - EXPIRY_MARGIN_MS > Date.now();
}

/** A session is usable while it has not expired and belongs to the current H5 identity. */
function usable(stored: StoredSession | null): CustomerSession | null {
  if (!stored || !isFresh(stored.session)) return null;
  // `?openid=` in the URL (development) asks for that identity; otherwise whoever is logged in stays.
  const wanted = h5OpenidInUrl();
  if (wanted !== null && stored.h5Openid !== wanted) return null;
  const unionid = h5Unionid();
  if (unionid !== null && stored.h5Unionid !== unionid) return null;
  return stored.session;
}

function readStoredSession(): StoredSession | null {
  try {
    const stored: unknown = Taro.getStorageSync(SESSION_KEY);
    if (!stored || typeof stored !== 'object') return null;
    const { session, h5Openid: owner, h5Unionid: unionid } = stored as Partial<StoredSession>;
    const parsed = customerSessionSchema.safeParse(session);
    if (!parsed.success) return null;
    return {
      session: parsed.data,
      h5Openid: typeof owner === 'string' ? owner : null,
      h5Unionid: typeof unionid === 'string' ? unionid : null,
    };
  } catch {
    return null;
  }
}

function writeSession(session: CustomerSession, unionid: string | null = h5Unionid(), owner: string | null = h5Openid()): void {
  const stored: StoredSession = { session, h5Openid: owner, h5Unionid: unionid };
  cached = stored;
  try {
    Taro.setStorageSync(SESSION_KEY, stored);
  } catch {
    // Storage full or unavailable: the session lives in memory only.
  }
}

export function clearSession(): void {
  cached = null;
  try {
    Taro.removeStorageSync(SESSION_KEY);
  } catch {
    // Nothing to clear.
  }
}

/** H5: the web authorisation's ticket for a session (the person WeChat — or the sandbox picker — said). */
async function loginWithTicket(ticket: string): Promise<CustomerSession> {
  dropTicketFromUrl();
  // Whoever was logged in before is not who this ticket says (or may not be).
  clearSession();
  const data = await request<unknown>({ method: 'POST', path: '/api/v1/auth/oauth/ticket', body: { ticket } });
  const session = parseResponse(customerSessionSchema, data);
  forgetH5Openid();
  writeSession(session, null, null);
  return session;
}

async function login(): Promise<CustomerSession> {
  if (process.env.TARO_ENV === 'h5') {
    const ticket = ticketInUrl();
    if (ticket) return loginWithTicket(ticket);
    // No development identity asked for: log in as the WeChat user through the Official Account.
    if (!h5Openid()) return startWebAuth();
  }
  const code = await getLoginCode();
  const body = parseResponse(mpLoginRequestSchema, { code });
  const data = await request<unknown>({ method: 'POST', path: '/api/v1/auth/mp-login', body });
  const session = parseResponse(customerSessionSchema, data);
  writeSession(session);
  return session;
}

/** Logs in once even if several calls need a session at the same time. */
function loginOnce(): Promise<CustomerSession> {
  if (!pendingLogin) {
    pendingLogin = login().finally(() => {
      pendingLogin = null;
    });
  }
  return pendingLogin;
}

/** The current customer session: from memory, from storage while not expired, else a new login. */
export async function ensureSession(): Promise<CustomerSession> {
  // A login under way (e.g. the ticket's, already taken out of the URL) is the answer for everyone.
  if (pendingLogin) return pendingLogin;
  // A ticket in the URL is a fresh login (maybe someone else): it wins over a kept session.
  if (ticketInUrl()) return loginOnce();
  const inMemory = usable(cached);
  if (inMemory) return inMemory;
  const stored = readStoredSession();
  const fromStorage = usable(stored);
  if (fromStorage) {
    cached = stored;
    return fromStorage;
  }
  return loginOnce();
}

/** The session of an earlier login while still usable; never logs in (pages open to anonymous viewers). */
export function keptSession(): CustomerSession | null {
  const inMemory = usable(cached);
  if (inMemory) return inMemory;
  const stored = readStoredSession();
  const fromStorage = usable(stored);
  if (fromStorage) cached = stored;
  return fromStorage;
}

/** An API call as the logged-in customer; a 401 clears the session and logs in again once. */
export async function authedRequest<T = unknown>(options: Omit<RequestOptions, 'token'>): Promise<T> {
  const session = await ensureSession();
  try {
    return await request<T>({ ...options, token: session.token });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    clearSession();
    const fresh = await loginOnce();
    return request<T>({ ...options, token: fresh.token });
  }
}

/** The user of the current session (logs in if needed). */
export async function currentUser(): Promise<CustomerUser> {
  return (await ensureSession()).user;
}

/** Keeps the session's user in step after verification, unbinding or staff binding. */
export function setSessionUser(user: CustomerUser): CustomerUser {
  const stored = cached ?? readStoredSession();
  if (stored) writeSession({ ...stored.session, user }, stored.h5Unionid);
  return user;
}

/** `GET /me`: the user as the server knows it now (verification or binding may have changed). */
export async function refreshUser(): Promise<CustomerUser> {
  const data = await authedRequest<{ user?: unknown }>({ path: '/api/v1/me' });
  return setSessionUser(parseResponse(customerUserSchema, data?.user));
}

/** Answers of `/me/…` routes: `{user}`. */
export function userFromAnswer(data: unknown): CustomerUser {
  const user = typeof data === 'object' && data !== null ? (data as { user?: unknown }).user : undefined;
  return setSessionUser(parseResponse(customerUserSchema, user));
}
