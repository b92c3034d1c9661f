// The two ways a WeChat call fails: WeChat answered with a non-zero errcode (WeChatApiError), or
// no usable answer came back at all (WeChatNetworkError: network, timeout, HTTP error, not JSON).

export class WeChatApiError extends Error {
  constructor(
    readonly errcode: number,
    readonly errmsg: string,
    /** API path without the query, e.g. /cgi-bin/message/template/send */
    readonly path: string,
    /** The whole answer, for the fields some errors carry (45065 has msg_id). */
    readonly response: Record<string, unknown> = {},
  ) {
    super(`WeChat ${path} failed: ${errcode} ${errmsg}`);
    this.name = 'WeChatApiError';
  }
}

export type WeChatNetworkFailure = 'network' | 'timeout' | 'http' | 'invalid-response';

export class WeChatNetworkError extends Error {
  constructor(
    readonly reason: WeChatNetworkFailure,
    readonly path: string,
    message: string,
    /** HTTP status when reason is 'http'. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`WeChat ${path} unreachable (${reason}): ${message}`, options);
    this.name = 'WeChatNetworkError';
  }
}

/** errcodes that mean "this access token is no good": refresh it and retry once. */
export const TOKEN_ERRCODES: ReadonlySet<number> = new Set([40001, 40014, 42001]);
