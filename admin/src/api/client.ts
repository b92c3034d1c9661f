import { apiErrorSchema } from '@qiao/shared';
import { sessionStore } from './session';

/** Prefix of every JSON API route of the Qiao server. */
export const API_BASE = '/api/v1';

export const NETWORK_ERROR_MESSAGE = '网络连接失败，请稍后重试';

/** An API failure in the server's error shape: HTTP status, stable code, Chinese message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Field-level problems of a rejected request, keyed by dotted path. */
  readonly details: Record<string, string> | undefined;
  /** What a refusal concerns (e.g. the matches of LEAD_DUPLICATE); parse it with its schema. */
  readonly data: unknown;

  constructor(status: number, code: string, message: string, details?: Record<string, string>, data?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.data = data;
  }
}

/** Query-string values: empty strings, null and undefined are left out. */
export type QueryParams = Record<string, string | number | boolean | null | undefined>;

/** `path?a=1&b=x` from the non-empty parameters (the path alone when there are none). */
export function withQuery(path: string, params: QueryParams): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const query = search.toString();
  return query ? `${path}?${query}` : path;
}

/** Anything with zod's safeParse: the response is checked against it. */
export interface ResponseParser<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: unknown };
}

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON, or a FormData sent as multipart (an upload). */
  body?: unknown;
  /** The message of a 413 the server did not describe (an upload's size limit). */
  tooLargeMessage?: string;
  /** Send the bearer token of the session (default true). */
  auth?: boolean;
  /** Validates and types the JSON body of a successful response. */
  schema?: ResponseParser<T>;
  signal?: AbortSignal;
}

type UnauthorizedHandler = () => void;

// Clearing the session is enough inside the app: the route guard sends the person to the login
// page and remembers where they were. This fallback covers use outside the router.
let onUnauthorized: UnauthorizedHandler = () => {
  const base = import.meta.env.BASE_URL.replace(/\/$/, '');
  const here = window.location.pathname.startsWith(base)
    ? window.location.pathname.slice(base.length) || '/'
    : '/';
  if (here === '/login') return;
  const redirect = encodeURIComponent(here + window.location.search);
  window.location.assign(`${base}/login?redirect=${redirect}`);
};

/** Replaces what happens after a 401 on an authenticated request (the session is cleared first). */
export function setUnauthorizedHandler(handler: UnauthorizedHandler): void {
  onUnauthorized = handler;
}

function fallbackMessage(status: number): string {
  if (status === 401) return '登录已失效，请重新登录';
  if (status === 403) return '没有权限执行此操作';
  if (status === 404) return '请求的资源不存在';
  if (status === 413) return '提交的内容过大';
  if (status === 429) return '操作过于频繁，请稍后再试';
  if (status >= 500) return '服务器暂时无法处理请求，请稍后重试';
  return `请求失败（${status}）`;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Calls the Qiao JSON API. Resolves with the parsed body (undefined for 204); rejects with ApiError. */
export async function apiRequest<T = unknown>(path: string, options: RequestOptions<T> = {}): Promise<T> {
  const { method = 'GET', body, auth = true, schema, signal, tooLargeMessage } = options;
  const multipart = body instanceof FormData;
  const headers: Record<string, string> = { Accept: 'application/json' };
  // A FormData body sets its own multipart content type (with the boundary).
  if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  const token = auth ? sessionStore.token() : null;
  if (token) headers.Authorization = `Bearer ${token}`;

  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'NETWORK_ERROR', NETWORK_ERROR_MESSAGE);
  }

  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', NETWORK_ERROR_MESSAGE);
  }
  const data = parseJson(text);

  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(data);
    const error = parsed.success
      ? new ApiError(response.status, parsed.data.error.code, parsed.data.error.message, parsed.data.error.details, parsed.data.error.data)
      : new ApiError(response.status, `HTTP_${response.status}`, (response.status === 413 && tooLargeMessage) || fallbackMessage(response.status));
    if (response.status === 401 && token) {
      sessionStore.clear();
      onUnauthorized();
    }
    throw error;
  }

  if (response.status === 204 || !schema) return data as T;
  const checked = schema.safeParse(data);
  if (!checked.success) {
    throw new ApiError(response.status, 'INVALID_RESPONSE', '服务器返回的数据格式不正确，请稍后重试');
  }
  return checked.data;
}
