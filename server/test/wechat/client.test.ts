// The outbound WeChat clients (one per product) against the sandbox, with the access token
// (stable_token) in the real database.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  combine,
  createMemoryTokenStore,
  createMiniProgramClient,
  createMongoTokenStore,
  createOfficialAccountClient,
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

/** Values for the seeded template qiao-staff-binding (thing1, phrase2, time3, thing4). */
const BINDING_DATA = { thing1: { value: '张工' }, phrase2: { value: '已绑定' }, time3: { value: '2026-11-22 14:30' }, thing4: { value: '欢迎加入' } };

let running: RunningSandbox;
const oaClient = (extra: Partial<WeChatClientOptions> = {}) =>
  createOfficialAccountClient({ baseUrl: running.url, appid: OA.appid, secret: OA.secret, tokenStore: createMongoTokenStore(), ...extra });
const mpClient = () =>
  createMiniProgramClient({ baseUrl: running.url, appid: MP.appid, secret: MP.secret, tokenStore: createMongoTokenStore() });

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

  it('asks stable_token again ahead of time when the stored token expires within 5 minutes', async () => {
    const client = oaClient();
    await client.getUserInfo('o-fan');
    await WeChatAccessToken.updateOne({ _id: OA.appid }, { $set: { expiresAt: new Date(Date.now() + 60_000) } });
    await client.getUserInfo('o-fan');
    // WeChat still holds that token for longer: stable_token answers it again, with its real expiry.
    expect(running.sandbox.calls().filter((call) => call.path === '/cgi-bin/stable_token')).toHaveLength(2);
    expect(running.sandbox.tokenGrants(OA.appid)).toBe(1);
    expect((await WeChatAccessToken.findById(OA.appid).lean())!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7000 * 1000);
    expect(running.sandbox.calls().filter((call) => call.errcode !== 0)).toEqual([]);
  });

  it('retries only once when the fresh token is refused too', async () => {
    let grants = 0;
    let calls = 0;
    await withFakeWeChat(
      (url) => {
        if (url.startsWith('/cgi-bin/stable_token')) return `{"access_token":"fake-${++grants}","expires_in":7200}`;
        calls += 1;
        return '{"errcode":40001,"errmsg":"invalid credential"}';
      },
      async (baseUrl) => {
        const client = createOfficialAccountClient({ baseUrl, appid: 'wxfake', secret: 's', tokenStore: createMongoTokenStore() });
        await expect(client.getUserInfo('o')).rejects.toMatchObject({ errcode: 40001 });
      },
    );
    expect({ grants, calls }).toEqual({ grants: 2, calls: 2 });
  });

  it('refuses wrong credentials with a typed error', async () => {
    const client = oaClient({ secret: 'wrong' });
    const error = await client.getUserInfo('o-fan').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WeChatApiError);
    expect(error).toMatchObject({ errcode: 40125, path: '/cgi-bin/stable_token' });
  });

  it('is the same stable token for processes with separate stores, and a plain cgi-bin/token grant does not retire it', async () => {
    // Two processes that do not share a database still get one token: stable_token hands out the current one.
    const options = { baseUrl: running.url, appid: OA.appid, secret: OA.secret };
    const first = createOfficialAccountClient({ ...options, tokenStore: createMemoryTokenStore() });
    const second = createOfficialAccountClient({ ...options, tokenStore: createMemoryTokenStore() });
    const [a, b] = [await first.getAccessToken(), await second.getAccessToken()];
    expect(a).toBe(b);
    // Someone else (another tool) grants a plain token twice: the stable token stays valid.
    await fetch(`${running.url}/cgi-bin/token?grant_type=client_credential&appid=${OA.appid}&secret=${OA.secret}`);
    await fetch(`${running.url}/cgi-bin/token?grant_type=client_credential&appid=${OA.appid}&secret=${OA.secret}`);
    await expect(first.getUserInfo('o-fan')).resolves.toMatchObject({ openid: 'o-fan' });
    await expect(second.getUserInfo('o-fan')).resolves.toMatchObject({ openid: 'o-fan' });
    expect(running.sandbox.calls().filter((call) => call.errcode !== 0)).toEqual([]);
  });
});

describe('errors', () => {
  it('turns a non-zero errcode into WeChatApiError with errcode, errmsg and path', async () => {
    running.sandbox.registerUser({ openid: 'o-left', subscribed: false });
    const error = await oaClient()
      .sendTemplateMessage({ touser: 'o-left', template_id: 'qiao-staff-binding', data: BINDING_DATA })
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
    expect(error).toMatchObject({ reason: 'network', path: '/cgi-bin/stable_token' });
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
        url.startsWith('/cgi-bin/stable_token')
          ? '{"access_token":"fake-token","expires_in":7200}'
          : '{"errcode":0,"errmsg":"ok","msgid":12345678901234567891}',
      async (baseUrl) => {
        const client = createOfficialAccountClient({ baseUrl, appid: 'wxfake', secret: 's', tokenStore: createMongoTokenStore() });
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
    const { msgid } = await client.sendTemplateMessage({ touser: 'o-fan', template_id: 'qiao-staff-binding', data: BINDING_DATA });
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
    await expect(client.code2Session(code)).rejects.toMatchObject({ errcode: 40163 });
    const message = {
      touser: 'mp-1',
      template_id: 'qiao-mp-work-order',
      data: {
        character_string1: { value: 'FW20261122001' },
        thing2: { value: '空调不制冷' },
        thing3: { value: '上海桥联科技' },
        phone_number4: { value: '13800138000' },
        time5: { value: '2026-11-23 10:00' },
      },
    };
    await expect(client.sendSubscribeMessage(message)).rejects.toMatchObject({ errcode: 43101 });
    running.sandbox.grantConsent('mp-1', ['qiao-mp-work-order']);
    await client.sendSubscribeMessage(message);
    expect(running.sandbox.sent({ openid: 'mp-1' })).toMatchObject([{ kind: 'subscribe', appid: MP.appid }]);
    await expect(client.sendSubscribeMessage(message)).rejects.toMatchObject({ errcode: 43101 });
  });

  it('offers each product only its own calls', () => {
    const mp = mpClient();
    const oa = oaClient();
    expect(Object.keys(mp).sort()).toEqual(['appid', 'baseUrl', 'code2Session', 'getAccessToken', 'refreshAccessToken', 'request', 'sendSubscribeMessage']);
    expect('sendTemplateMessage' in mp).toBe(false);
    expect('code2Session' in oa || 'sendSubscribeMessage' in oa).toBe(false);
    expect(() => combine({ send: () => 1 }, { send: () => 2 })).toThrow(/two API areas define send/);
  });

  it('pages followers, edits tags, mass-sends to openids, previews, manages the menu, lists templates and callback IPs', async () => {
    const client = oaClient();
    for (let i = 0; i < 3; i += 1) running.sandbox.registerUser({ openid: `o-list-${i}` });
    const page = await client.getFollowers();
    expect(page).toMatchObject({ total: 4, count: 4, data: { openid: ['o-fan', 'o-list-0', 'o-list-1', 'o-list-2'] }, next_openid: 'o-list-2' });
    expect(await client.getFollowers(page.next_openid)).toMatchObject({ total: 4, count: 0 });

    const tag = await client.createTag('待回访');
    await client.updateTag(tag.id, '已回访');
    expect((await client.getTags()).find((t) => t.id === tag.id)?.name).toBe('已回访');
    await expect(client.updateTag(2, '星标')).rejects.toMatchObject({ errcode: 45058 });
    await client.deleteTag(tag.id);
    expect((await client.getTags()).some((t) => t.id === tag.id)).toBe(false);

    const message = { msgtype: 'text', text: { content: '服务升级通知' } } as const;
    await expect(client.massSendToOpenids(['o-fan'], message)).rejects.toMatchObject({ errcode: 40130 });
    const sent = await client.massSendToOpenids(['o-fan', 'o-list-0'], message);
    expect(sent).toEqual({ msg_id: expect.stringMatching(/^\d+$/), duplicate: false });
    expect(await client.massPreview('o-list-1', message)).toEqual({ msg_id: expect.stringMatching(/^\d+$/) });
    expect(running.sandbox.sent({ kind: 'mass' }).map((m) => m.openid).sort()).toEqual(['o-fan', 'o-list-0', 'o-list-1']);

    expect(await client.getMenu()).toBeNull();
    const menu = { button: [{ type: 'click' as const, name: '报修', key: 'REPAIR' }, { name: '我的', sub_button: [{ type: 'view' as const, name: '我的服务', url: 'https://qiao.example.com/h5/' }] }] };
    await client.createMenu(menu);
    expect(await client.getMenu()).toMatchObject(menu);
    await expect(client.createMenu({ button: [{ type: 'click', name: '这是一个太长的菜单名', key: 'K' }] })).rejects.toMatchObject({ errcode: 40018 });
    await client.deleteMenu();
    expect(await client.getMenu()).toBeNull();

    expect((await client.getAllPrivateTemplates()).map((t) => t.template_id)).toContain('qiao-service-status');
    expect((await client.getCallbackIps()).length).toBeGreaterThan(0);
  });
});
