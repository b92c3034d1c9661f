// The shared core of our WeChat clients (one per product: official-account.ts, mini-program.ts):
// every call goes through one `request` function (one place to fake, log, time out and retry),
// any non-zero errcode is a typed error, and msgids come back as strings (co-wechat-api hands out
// BigNumber objects). The access token comes from cgi-bin/stable_token (force_refresh false): every
// process gets the same token, so none retires another's (a plain cgi-bin/token grant would).
import { TOKEN_ERRCODES, WeChatApiError, WeChatNetworkError } from './errors.js';
import type { TokenStore } from './token-store.js';

export const DEFAULT_WECHAT_API_BASE = 'https://api.weixin.qq.com';
const DEFAULT_TIMEOUT_MS = 5_000;
/** Refresh the shared token this long before it expires. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

/** pino's Logger fits. */
export interface WeChatLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface WeChatClientOptions {
  /** WECHAT_API_BASE, e.g. http://127.0.0.1:3000/sandbox; default https://api.weixin.qq.com */
  baseUrl?: string;
  appid: string;
  secret: string;
  tokenStore: TokenStore;
  /** Per attempt; default 5000 ms. */
  timeoutMs?: number;
  logger?: WeChatLogger;
  /** Current time in ms (tests). */
  now?: () => number;
}

export interface RequestOptions {
  method?: 'GET' | 'POST';
  /** API path, e.g. /cgi-bin/user/info */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /**
   * 'token' (default): add ?access_token=, and on 40001/40014/42001 refresh it and retry once.
   * 'secret': add ?appid=&secret= (token grant, jscode2session). 'none': nothing.
   */
  auth?: 'token' | 'secret' | 'none';
  /** Safe to send twice: retried once after a network failure. Default: GET requests. */
  idempotent?: boolean;
  /** errcodes answered to the caller instead of thrown (e.g. 45065 for mass send). */
  allowErrcodes?: readonly number[];
}

export interface WeChatCore {
  readonly appid: string;
  readonly baseUrl: string;
  request<T = Record<string, unknown>>(options: RequestOptions): Promise<T>;
  /** The shared token: from the store, or fetched when missing or about to expire. */
  getAccessToken(): Promise<string>;
  /** Fetch a new token because `stale` was refused — unless another caller already replaced it. */
  refreshAccessToken(stale?: string): Promise<string>;
}

// One token refresh in flight per API base + appid in this process: concurrent callers share it.
const refreshes = new Map<string, Promise<string>>();

/** WeChat's msgids can exceed 2^53: keep them exact by reading them as strings. */
function parseWeChatJson(text: string): unknown {
  return JSON.parse(text.replace(/("(?:msgid|msg_id|msg_data_id)"\s*:\s*)(-?\d+)/g, '$1"$2"'));
}

export function createWeChatCore(options: WeChatClientOptions): WeChatCore {
  const baseUrl = (options.baseUrl ?? DEFAULT_WECHAT_API_BASE).replace(/\/+$/, '');
  const { appid, secret, tokenStore, logger } = options;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;

  async function attempt(opts: RequestOptions, token: string | undefined): Promise<Record<string, unknown>> {
    const method = opts.method ?? 'GET';
    const url = new URL(baseUrl + opts.path);
    for (const [key, value] of Object.entries(opts.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    if (opts.auth === 'secret') {
      url.searchParams.set('appid', appid);
      url.searchParams.set('secret', secret);
    } else if (token !== undefined) {
      url.searchParams.set('access_token', token);
    }
    const started = now();
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
        body: method === 'POST' ? JSON.stringify(opts.body ?? {}) : null,
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const message = timedOut ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error);
      throw new WeChatNetworkError(timedOut ? 'timeout' : 'network', opts.path, message, undefined, { cause: error });
    }
    if (!response.ok) {
      throw new WeChatNetworkError('http', opts.path, `HTTP ${response.status}`, response.status);
    }
    let json: unknown;
    try {
      json = parseWeChatJson(text);
    } catch (error) {
      throw new WeChatNetworkError('invalid-response', opts.path, 'the answer is not JSON', response.status, { cause: error });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new WeChatNetworkError('invalid-response', opts.path, 'the answer is not a JSON object', response.status);
    }
    const body = json as Record<string, unknown>;
    const errcode = typeof body.errcode === 'number' ? body.errcode : 0;
    // Never log the query: it holds the access token or the secret.
    logger?.debug({ wechat: { appid, method, path: opts.path, ms: now() - started, errcode } }, 'wechat api call');
    if (errcode !== 0 && !opts.allowErrcodes?.includes(errcode)) {
      throw new WeChatApiError(errcode, String(body.errmsg ?? ''), opts.path, body);
    }
    return body;
  }

  async function send(opts: RequestOptions, token: string | undefined): Promise<Record<string, unknown>> {
    const idempotent = opts.idempotent ?? (opts.method ?? 'GET') === 'GET';
    try {
      return await attempt(opts, token);
    } catch (error) {
      if (!(error instanceof WeChatNetworkError) || !idempotent) throw error;
      logger?.warn({ wechat: { appid, path: opts.path, reason: error.reason } }, 'wechat api call failed, retrying once');
      return attempt(opts, token);
    }
  }

  /** WeChat: "获取稳定版接口调用凭据" — POST cgi-bin/stable_token; the secret travels in the body. */
  async function grant(forceRefresh: boolean): Promise<string> {
    const answer = await send(
      {
        method: 'POST',
        path: '/cgi-bin/stable_token',
        body: { grant_type: 'client_credential', appid, secret, force_refresh: forceRefresh },
        auth: 'none',
        // Without force_refresh the same token comes back: safe to repeat.
        idempotent: !forceRefresh,
      },
      undefined,
    );
    const token = answer.access_token;
    const expiresIn = Number(answer.expires_in);
    if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn)) {
      throw new WeChatNetworkError('invalid-response', '/cgi-bin/stable_token', 'no access_token in the answer');
    }
    await tokenStore.save(appid, token, new Date(now() + expiresIn * 1000));
    logger?.debug({ wechat: { appid, expiresIn, forceRefresh } }, 'wechat access token granted');
    return token;
  }

  /** A token other than `stale`: normally stable_token hands out the current one; force only when it answers `stale` again. */
  async function grantReplacing(stale: string | undefined): Promise<string> {
    const token = await grant(false);
    return stale !== undefined && token === stale ? grant(true) : token;
  }

  const core: WeChatCore = {
    appid,
    baseUrl,

    async getAccessToken() {
      const stored = await tokenStore.get(appid);
      if (stored && stored.expiresAt.getTime() - now() > TOKEN_REFRESH_MARGIN_MS) return stored.token;
      // Expiring soon, not refused: stable_token renews it in its last 5 minutes, no force needed.
      return core.refreshAccessToken();
    },

    refreshAccessToken(stale) {
      const key = `${baseUrl}\n${appid}`;
      const running = refreshes.get(key);
      if (running) return running;
      const refresh = (async () => {
        // Another process may have refreshed already: use its token rather than retiring it.
        const stored = await tokenStore.get(appid);
        const fresh = stored && stored.token !== stale && stored.expiresAt.getTime() - now() > TOKEN_REFRESH_MARGIN_MS;
        return fresh ? stored.token : grantReplacing(stale);
      })().finally(() => refreshes.delete(key));
      refreshes.set(key, refresh);
      return refresh;
    },

    async request<T>(opts: RequestOptions): Promise<T> {
      if ((opts.auth ?? 'token') !== 'token') return (await send(opts, undefined)) as T;
      const token = await core.getAccessToken();
      try {
        return (await send(opts, token)) as T;
      } catch (error) {
        if (!(error instanceof WeChatApiError) || !TOKEN_ERRCODES.has(error.errcode)) throw error;
        logger?.warn({ wechat: { appid, path: opts.path, errcode: error.errcode } }, 'wechat access token refused, refreshing');
        const fresh = await core.refreshAccessToken(token);
        return (await send(opts, fresh)) as T;
      }
    },
  };
  return core;
}
