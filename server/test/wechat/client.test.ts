// The outbound WeChat client against the sandbox, with the access token in the real database.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createMongoTokenStore,
  createWeChatClient,
  temporaryQrCode,
  WeChatAccessToken,
  WeChatApiError,
  WeChatNetworkError,
  type WeChatClientOptions,
  type WeChatLogger,
} from '../../src/wechat/api/index.js';
import { startSandbox, type RunningSandbox } from '../../src/wechat/sandbox/index.js';
import { useTestDatabase } from '../helpers/db.js';
import { MP, OA } from './helpers.js';

useTestDatabase();

let running: RunningSandbox;
const oaClient = (extra: Partial<WeChatClientOptions> = {}) =>
  createWeChatClient({ baseUrl: running.url, appid: OA.appid, secret: OA.secret, tokenStore: createMongoTokenStore(), ...extra });
const mpClient = () =>
  createWeChatClient({ baseUrl: running.url, appid: MP.appid, secret: MP.secret, tokenStore: createMongoTokenStore() });

/** A stand-in WeChat answering `answer(url)` as JSON, for cases the sandbox cannot produce. */
async function withFakeWeChat(answer: (url: string) => string, use: (baseUrl: string) => Promise<void>): Promise<void> {
  const fake: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(answer(req.url ?? ''));
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  try {
    await use(`http://127.0.0.1:${(fake.address() as AddressInfo).port}`);
  } finally {
    fake.closeAllConnections();
    await new Promise<void>((resolve) => fake.close(() => resolve()));
  }
}

async function storedToken(appid: string): Promise<string | undefined> {
  const doc = await WeChatAccessToken.findById(appid).lean();
  return doc?.token;
}

beforeAll(async () => {
  running = await startSandbox({ apps: [OA, MP] });
});

afterAll(async () => {
  await running.close();
});

beforeEach(async () => {
  running.sandbox.reset();
  await WeChatAccessToken.deleteMany({});
  running.sandbox.registerUser({ openid: 'o-fan', unionid: 'u-fan' });
});

describe('access token', () => {
  it('is granted once, stored under _id = appid and reused', async () => {
    const client = oaClient();
    await client.getUserInfo('o-fan');
    await client.getUserInfo('o-fan');
    expect(running.sandbox.tokenGrants(OA.appid)).toBe(1);
    const doc = await WeChatAccessToken.findById(OA.appid).lean();
    expect(doc?.token).toBe(running.sandbox.currentToken(OA.appid));
    expect(doc!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7000 * 1000);
  });

  it('is refreshed once and the call retried after 40001', async () => {
    const client = oaClient();
    await client.getUserInfo('o-fan');
    const before = await storedToken(OA.appid);
    running.sandbox.invalidateToken(OA.appid);

    const info = await client.getUserInfo('o-fan');
    expect(info.openid).toBe('o-fan');
    expect(running.sandbox.tokenGrants(OA.appid)).toBe(2);
    const after = await storedToken(OA.appid);
    expect(after).not.toBe(before);
    expect(after).toBe(running.sandbox.currentToken(OA.appid));
    const infoCalls = running.sandbox.calls().filter((call) => call.path === '/cgi-bin/user/info');
    expect(infoCalls.map((call) => call.errcode)).toEqual([0, 40001, 0]);
  });

  it('is refreshed after 42001', async () => {
    const client = oaClient();
    await client.getUserInfo('o-fan');
    running.sandbox.expireToken(OA.appid);
    await expect(client.getUserInfo('o-fan')).resolves.toMatchObject({ subscribe: 1 });
    expect(running.sandbox.tokenGrants(OA.appid)).toBe(2);
  });

  it('is shared through the database by two client instances', async () => {
    await oaClient().getUserInfo('o-fan');
    await oaClient().getUserInfo('o-fan');
    expect(running.sandbox.tokenGrants(OA.appid)).toBe(1);
  });

  it('is fetched once for concurrent calls', async () => {
    const client = oaClient();
    await Promise.all(Array.from({ length: 8 }, () => client.getUserInfo('o-fan')));
    expect(running.sandbox.tokenGrants(OA.appid)).toBe(1);
  });

  it('is refreshed ahead of time when it expires within 5 minutes', async () => {
    const client = oaClient();
    await client.getUserInfo('o-fan');
    await WeChatAccessToken.updateOne({ _id: OA.appid }, { $set: { expiresAt: new Date(Date.now() + 60_000) } });
    await client.getUserInfo('o-fan');
    expect(running.sandbox.tokenGrants(OA.appid)).toBe(2);
    expect(running.sandbox.calls().filter((call) => call.errcode !== 0)).toEqual([]);
  });

  it('retries only once when the fresh token is refused too', async () => {
    let grants = 0;
    let calls = 0;
    await withFakeWeChat(
      (url) => {
        if (url.startsWith('/cgi-bin/token')) return `{"access_token":"fake-${++grants}","expires_in":7200}`;
        calls += 1;
        return '{"errcode":40001,"errmsg":"invalid credential"}';
      },
      async (baseUrl) => {
        const client = createWeChatClient({ baseUrl, appid: 'wxfake', secret: 's', tokenStore: createMongoTokenStore() });
        await expect(client.getUserInfo('o')).rejects.toMatchObject({ errcode: 40001 });
      },
    );
    expect({ grants, calls }).toEqual({ grants: 2, calls: 2 });
  });

  it('refuses wrong credentials with a typed error', async () => {
    const client = oaClient({ secret: 'wrong' });
    const error = await client.getUserInfo('o-fan').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeChatApiError);
    expect(error).toMatchObject({ errcode: 40125, path: '/cgi-bin/token' });
  });
});

describe('errors', () => {
  it('turns a non-zero errcode into WeChatApiError with errcode, errmsg and path', async () => {
    running.sandbox.registerUser({ openid: 'o-left', subscribed: false });
    const error = await oaClient()
      .sendTemplateMessage({ touser: 'o-left', template_id: 't', data: {} })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeChatApiError);
    expect(error).toMatchObject({ errcode: 43004, path: '/cgi-bin/message/template/send', errmsg: expect.stringMatching(/^require subscribe/) });
  });

  it('turns a refused connection into WeChatNetworkError', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await oaClient({ baseUrl: `http://127.0.0.1:${port}/sandbox` })
      .getUserInfo('o-fan')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeChatNetworkError);
    expect(error).toMatchObject({ reason: 'network', path: '/cgi-bin/token' });
  });

  it('times out a server that does not answer', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      const error = await oaClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 150 })
        .getUserInfo('o-fan')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WeChatNetworkError);
      expect(error).toMatchObject({ reason: 'timeout' });
      // GET is retried once: two attempts of 150 ms.
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('keeps msgids beyond 2^53 exact, as strings', async () => {
    await withFakeWeChat(
      (url) =>
        url.startsWith('/cgi-bin/token')
          ? '{"access_token":"fake-token","expires_in":7200}'
          : '{"errcode":0,"errmsg":"ok","msgid":12345678901234567891}',
      async (baseUrl) => {
        const client = createWeChatClient({ baseUrl, appid: 'wxfake', secret: 's', tokenStore: createMongoTokenStore() });
        const sent = await client.sendTemplateMessage({ touser: 'o', template_id: 't', data: {} });
        expect(sent.msgid).toBe('12345678901234567891');
      },
    );
  });

  it('never logs the secret or the access token', async () => {
    const lines: string[] = [];
    const logger: WeChatLogger = {
      debug: (obj, msg) => lines.push(JSON.stringify([obj, msg])),
      warn: (obj, msg) => lines.push(JSON.stringify([obj, msg])),
    };
    const client = oaClient({ logger });
    await client.getUserInfo('o-fan');
    running.sandbox.invalidateToken(OA.appid);
    await client.getUserInfo('o-fan');
    expect(lines.length).toBeGreaterThan(3);
    const log = lines.join('\n');
    expect(log).not.toContain(OA.secret);
    expect(log).not.toContain(running.sandbox.currentToken(OA.appid));
  });
});

describe('typed methods', () => {
  it('reads users, one by one and in batches of 100', async () => {
    const openids = Array.from({ length: 150 }, (_, i) => `o-batch-${i}`);
    for (const openid of openids) running.sandbox.registerUser({ openid });
    const client = oaClient();
    expect(await client.getUserInfo('o-fan')).toMatchObject({ subscribe: 1, openid: 'o-fan', unionid: 'u-fan' });
    const users = await client.batchGetUserInfo(openids);
    expect(users.map((u) => u.openid)).toEqual(openids);
    expect(running.sandbox.calls().filter((call) => call.path === '/cgi-bin/user/info/batchget')).toHaveLength(2);
  });

  it('sends template and customer-service messages', async () => {
    const client = oaClient();
    const { msgid } = await client.sendTemplateMessage({ touser: 'o-fan', template_id: 'tpl', data: { first: { value: '工单已完成' } } });
    expect(msgid).toMatch(/^\d+$/);
    const outside = await client.sendCustomMessage({ touser: 'o-fan', msgtype: 'text', text: { content: '你好' } }).catch((e: unknown) => e);
    expect(outside).toMatchObject({ errcode: 45015 });
    running.sandbox.recordInteraction('o-fan', 'message');
    await client.sendCustomMessage({ touser: 'o-fan', msgtype: 'text', text: { content: '你好' } });
    expect(running.sandbox.sent('o-fan').map((m) => m.kind)).toEqual(['template', 'custom']);
    expect(running.sandbox.sent('o-fan')[0]?.msgid).toBe(Number(msgid));
  });

  it('manages tags and mass-sends to a tag, reporting a repeated clientmsgid as duplicate', async () => {
    const client = oaClient();
    const members = Array.from({ length: 60 }, (_, i) => `o-tag-${String(i).padStart(2, '0')}`);
    for (const openid of members) running.sandbox.registerUser({ openid });
    const tag = await client.createTag('老客户');
    await client.tagUsers(tag.id, members);
    await client.untagUsers(tag.id, [members[0]!]);
    expect(await client.getAllTagUsers(tag.id)).toEqual(members.slice(1));
    expect(await client.getUserTags(members[1]!)).toEqual([tag.id]);
    expect((await client.getTags()).find((t) => t.id === tag.id)?.count).toBe(59);
    await expect(client.createTag('老客户')).rejects.toMatchObject({ errcode: 45157 });

    const message = { msgtype: 'text', text: { content: '老客户专享' } } as const;
    const first = await client.massSendToTag(tag.id, message, { clientmsgid: 'vip-1' });
    expect(first).toEqual({ msg_id: expect.stringMatching(/^\d+$/), duplicate: false });
    expect(running.sandbox.sent({ kind: 'mass' })).toHaveLength(59);
    const again = await client.massSendToTag(tag.id, message, { clientmsgid: 'vip-1' });
    expect(again).toEqual({ msg_id: first.msg_id, duplicate: true });
    expect(running.sandbox.sent({ kind: 'mass' })).toHaveLength(59);
  });

  it('creates QR codes and gets the JS-SDK ticket', async () => {
    const client = oaClient();
    const code = await client.createQrCode(temporaryQrCode('lead-42', 3600));
    expect(code).toEqual({ ticket: expect.any(String), expire_seconds: 3600, url: expect.any(String) });
    await expect(client.createQrCode(temporaryQrCode('x'.repeat(65), 60))).rejects.toMatchObject({ errcode: 40053 });
    const ticket = await client.getJsapiTicket();
    expect(ticket).toEqual({ ticket: expect.any(String), expires_in: 7200 });
  });

  it('logs in mini-program users and sends subscribe messages with the mini-program client', async () => {
    const client = mpClient();
    const code = running.sandbox.mintLoginCode({ openid: 'mp-1', unionid: 'u-fan' });
    expect(await client.code2Session(code)).toEqual({ openid: 'mp-1', session_key: expect.any(String), unionid: 'u-fan' });
    await expect(client.code2Session(code)).rejects.toMatchObject({ errcode: 40029 });
    await fetch(`${running.url}/mp/subscribe-consent`, { method: 'POST', body: JSON.stringify({ openid: 'mp-1', templateIds: ['sub'] }) });
    await client.sendSubscribeMessage({ touser: 'mp-1', template_id: 'sub', data: { thing1: { value: '已受理' } } });
    expect(running.sandbox.sent({ openid: 'mp-1' })).toMatchObject([{ kind: 'subscribe', appid: MP.appid }]);
    // The mini-program token cannot call Official Account APIs.
    await expect(client.getUserInfo('o-fan')).rejects.toMatchObject({ errcode: 48001 });
  });
});
