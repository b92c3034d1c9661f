// One server and one Chromium per test file, started before and stopped after its tests.
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, type BrowserSession } from './browser.js';
import { startE2eServer, type E2eServer } from './server.js';

export interface E2eEnvironment {
  server: E2eServer;
  browser: BrowserSession;
}

/** Returns an object whose fields are filled once beforeAll has run. */
export function useE2eEnvironment(): E2eEnvironment {
  const env = {} as E2eEnvironment;
  beforeAll(async () => {
    [env.server, env.browser] = await Promise.all([startE2eServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}
