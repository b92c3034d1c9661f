// Shared set-up for the WeChat tests: sandbox apps, a movable clock, raw HTTP helpers.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startSandbox, type RunningSandbox, type SandboxApp, type SandboxOptions } from '../../src/wechat/sandbox/index.js';

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

export interface SandboxSession {
  running: RunningSandbox;
  api: ReturnType<typeof http>;
  /** Fresh access tokens of OA and MP. */
  oaToken: string;
  mpToken: string;
}

/**
 * A sandbox with OA and MP for this file's tests: started before them, closed after them, and
 * before each test emptied with fresh tokens, which `onReady` gets.
 */
export function useSandbox(options: Omit<SandboxOptions, 'apps'>, onReady: (session: SandboxSession) => void): void {
  let running: RunningSandbox | undefined;
  beforeAll(async () => {
    running = await startSandbox({ apps: [OA, MP], ...options });
  });
  afterAll(async () => {
    await running?.close();
  });
  beforeEach(async () => {
    running!.sandbox.reset();
    const api = http(running!.url);
    onReady({ running: running!, api, oaToken: await api.token(OA), mpToken: await api.token(MP) });
  });
}
