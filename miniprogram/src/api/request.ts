import Taro from '@tarojs/taro';
import { apiBase } from './config';

export const NETWORK_ERROR_MESSAGE = '网络连接失败，请稍后重试';
/** The message to show for anything a call may throw. */
export function errorMessage(error: unknown): string {
  return error instanceof ApiError ? error.message : NETWORK_ERROR_MESSAGE;
}

const GENERIC_ERROR_MESSAGE = '服务暂时不可用，请稍后重试';

/** Every failed API call ends up as this: HTTP status (0 = no response), error code, Chinese message. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Field errors of a 400 `VALIDATION_FAILED` (path such as `parts.0.name` → Chinese message). */
  readonly details: Record<string, string>;

  constructor(status: number, code: string, message: string, details: Record<string, string> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined;

export interface RequestOptions {
  method?: HttpMethod;
  /** Path below the API base, e.g. `/api/v1/feedbacks`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Bearer token; sent as `Authorization: Bearer <token>`. */
  token?: string;
}

function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function stringRecord(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isRecord(value)) return result;
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string') result[key] = item;
  }
  return result;
}

/** Reads `{"error":{"code","message","details?"}}`; anything else becomes a generic Chinese message. */
export function parseApiError(status: number, data: unknown): ApiError {
  let body = data;
  if (typeof body === 'string') {
    // uploadFile hands back the raw text.
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      body = null;
    }
  }
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error)) {
    const code = typeof error.code === 'string' ? error.code : `HTTP_${status}`;
    const message = typeof error.message === 'string' && error.message ? error.message : GENERIC_ERROR_MESSAGE;
    return new ApiError(status, code, message, stringRecord(error.details));
  }
  return new ApiError(status, `HTTP_${status}`, GENERIC_ERROR_MESSAGE);
}

/** The one wrapper around Taro.request: base URL, token, JSON, error parsing. */
export async function request<T = unknown>(options: RequestOptions): Promise<T> {
  const method = options.method ?? 'GET';
  const header: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) header['Content-Type'] = 'application/json';
  if (options.token) header.Authorization = `Bearer ${options.token}`;

  let response: Taro.request.SuccessCallbackResult<string | TaroGeneral.IAnyObject | ArrayBuffer>;
  try {
    response = await Taro.request({
      url: `${apiBase()}${options.path}${buildQuery(options.query)}`,
      method,
      header,
      data: options.body as Taro.request.Option['data'],
      dataType: 'json',
      timeout: 15_000,
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', NETWORK_ERROR_MESSAGE);
  }

  const status = response.statusCode;
  if (status >= 200 && status < 300) return response.data as T;
  throw parseApiError(status, response.data);
}
