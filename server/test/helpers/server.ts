// Starts the whole server in this test process, on a fresh database, talking to a standalone
// WeChat sandbox — the same startQiao() that main.ts runs.
import { afterAll, beforeAll } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startQiao, type RunningQiao } from '../../src/server.js';
import { startSandbox } from '../../src/wechat/sandbox/index.js';
import { freshDatabaseUri } from './db.js';

export const TEST_OA = { appid: 'wxtest00000000oa01', secret: 'test-oa-secret', token: 'qiaotesttoken' };
export const TEST_MP = { appid: 'wxtest00000000mp01', secret: 'test-mp-secret' };
export const ADMIN_PASSWORD = 'admin-pass-2026';

export interface TestServer {
  url: string;
  config: Config;
  qiao: RunningQiao;
  sandbox: Awaited<ReturnType<typeof startSandbox>>;
  stop(): Promise<void>;
}

/** Environment of a test server; `env` overrides (e.g. WECHAT_OA_AES_KEY for safe mode). */
export function testEnv(sandboxUrl: string, mongoUri: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: mongoUri,
    QIAO_ADMIN_PASSWORD: ADMIN_PASSWORD,
    WECHAT_API_BASE: sandboxUrl,
    WECHAT_OA_APPID: TEST_OA.appid,
    WECHAT_OA_SECRET: TEST_OA.secret,
    WECHAT_OA_TOKEN: TEST_OA.token,
    WECHAT_MP_APPID: TEST_MP.appid,
    WECHAT_MP_SECRET: TEST_MP.secret,
    QIAO_SMS_PROVIDER: 'sandbox',
    ...env,
  };
}

export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const oa = { appid: env.WECHAT_OA_APPID ?? TEST_OA.appid, secret: TEST_OA.secret };
  const sandbox = await startSandbox({
    apps: [
      { ...oa, kind: 'oa' },
      { ...TEST_MP, kind: 'mp' },
    ],
  });
  const config = loadConfig(testEnv(sandbox.url, freshDatabaseUri(), env));
  const qiao = await startQiao(config, createLogger('silent'));
  return {
    url: qiao.url,
    config,
    qiao,
    sandbox,
    async stop() {
      await qiao.stop();
      await sandbox.close();
    },
  };
}

/**
 * A test server for this file's tests: started before them, stopped after them. `onStart` gets the
 * running server before any test does — keep it, and create what the tests share.
 */
export function useTestServer(onStart: (server: TestServer) => void | Promise<void>, env: Record<string, string> = {}): void {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(env);
    await onStart(server);
  });
  afterAll(async () => {
    await server?.stop();
  });
}

export interface JsonResponse<T = any> {
  status: number;
  body: T;
}

/** JSON request against a test server. */
export async function call<T = any>(
  url: string,
  path: string,
  options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const response = await fetch(`${url}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: response.status, body: body as T };
}

/** The `error` object of an API error response. */
export async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}
