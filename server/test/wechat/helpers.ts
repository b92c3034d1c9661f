// Shared set-up for the WeChat tests: sandbox apps, a movable clock, raw HTTP helpers.
import type { SandboxApp } from '../../src/wechat/sandbox/index.js';

export const OA: SandboxApp = { appid: 'wxtestoa000000001', secret: 'oa-secret-1', kind: 'oa' };
export const MP: SandboxApp = { appid: 'wxtestmp000000001', secret: 'mp-secret-1', kind: 'mp' };

/** A clock tests move by hand. */
export function movableClock(start = Date.parse('2025-03-01T08:00:00Z')) {
  let current = start;
  return {
    now: () => current,
    advance(ms: number) {
      current += ms;
    },
  };
}

export interface JsonAnswer {
  status: number;
  contentType: string | null;
  body: Record<string, any>;
}

async function answer(response: Response): Promise<JsonAnswer> {
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), body: text ? JSON.parse(text) : {} };
}

export function http(base: string) {
  const url = (path: string, query: Record<string, string | undefined> = {}) => {
    const target = new URL(base + path);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) target.searchParams.set(key, value);
    return target;
  };
  return {
    get: async (path: string, query?: Record<string, string | undefined>) => answer(await fetch(url(path, query))),
    post: async (path: string, body: unknown, query?: Record<string, string | undefined>) =>
      answer(
        await fetch(url(path, query), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    delete: async (path: string) => answer(await fetch(url(path), { method: 'DELETE' })),
    /** A fresh access token for the app. */
    async token(app: SandboxApp): Promise<string> {
      const res = await answer(
        await fetch(url('/cgi-bin/token', { grant_type: 'client_credential', appid: app.appid, secret: app.secret })),
      );
      if (typeof res.body.access_token !== 'string') throw new Error(`no token: ${JSON.stringify(res.body)}`);
      return res.body.access_token;
    },
  };
}
