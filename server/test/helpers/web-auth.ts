// Drives the Official Account web authorisation the way WeChat's browser does: the start route
// (with the browser's cookie), WeChat's authorize page (the sandbox's picker), the callback, and
// the H5 app's ticket exchange. Real HTTP, redirects followed by hand.
import { expect } from 'vitest';
import { call, type TestServer } from './server.js';

export const WECHAT_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.50(0x1800322c) NetType/WIFI Language/zh_CN';

/** What browsers send for a page navigation. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/** One browser: keeps the cookies the server sets. */
export class Browser {
  private readonly cookies = new Map<string, string>();

  async get(url: string, userAgent = WECHAT_UA): Promise<{ status: number; location: string | null; text: string }> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: { 'user-agent': userAgent, accept: BROWSER_ACCEPT, ...(cookie ? { cookie } : {}) } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      if (at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    return { status: response.status, location: response.headers.get('location'), text: await response.text() };
  }
}

/** start → the authorize URL Qiao sent the browser to (as WeChat would receive it). */
export async function startAuth(server: TestServer, browser: Browser, redirect = '/h5/'): Promise<URL> {
  const started = await browser.get(`${server.url}/api/v1/auth/oauth/start?redirect=${encodeURIComponent(redirect)}`);
  expect(started.status, started.text).toBe(302);
  return new URL(started.location!);
}

/** The sandbox's picker: choose `person` (`oa:<openid>`, `mp:<appid>:<openid>` or `new`) → the callback URL with code and state. */
export async function pick(server: TestServer, authorize: URL, person: string, extra: Record<string, string> = {}): Promise<URL> {
  const query = new URLSearchParams(authorize.search);
  query.set('person', person);
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  const chosen = await fetch(`${server.sandbox.url}/connect/oauth2/authorize/choose?${query}`, { redirect: 'manual' });
  expect(chosen.status, await chosen.clone().text()).toBe(302);
  return new URL(chosen.headers.get('location')!);
}

/** The callback's landing URL → the ticket in its hash route. */
export function ticketOf(location: string | null): string {
  const match = /[#&?]qiao_ticket=([A-Za-z0-9_-]+)/.exec(location ?? '');
  expect(match, `no ticket in ${location}`).not.toBeNull();
  return match![1]!;
}

/** The whole login as the follower `openid` → the H5 session. */
export async function webLogin(server: TestServer, person: string, extra: Record<string, string> = {}) {
  const browser = new Browser();
  const authorize = await startAuth(server, browser);
  const callback = await pick(server, authorize, person, extra);
  const landed = await browser.get(callback.toString());
  expect(landed.status, landed.text).toBe(302);
  const session = await call(server.url, '/api/v1/auth/oauth/ticket', { body: { ticket: ticketOf(landed.location) } });
  expect(session.status, JSON.stringify(session.body)).toBe(200);
  return session.body as { token: string; user: { id: string; openid: string; unionid: string | null; verified: boolean } };
}
