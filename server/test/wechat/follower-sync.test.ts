// Follower sync against the sandbox: 10,000 followers read through user/get + user/info/batchget,
// created as WeChat users with their unionids (linked to an existing mini-program person), a
// second run changes nothing, and a failed run resumes where it stopped.
import { expect, it } from 'vitest';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { FollowerSync } from '../../src/modules/official-account/follower-sync.model.js';
import { runFollowerSync, type FollowerListSource } from '../../src/modules/official-account/follower-sync.service.js';
import { createLogger } from '../../src/logger.js';
import { createMongoTokenStore, createOfficialAccountClient } from '../../src/wechat/api/index.js';
import { adminToken, staffSession } from '../helpers/factories.js';
import { call, TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: string;

useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
});

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 240_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const status = async () => (await call(server.url, '/api/v1/oa/follower-sync', { token: admin })).body;

it('is queued at first start with real credentials, readable by admins only', async () => {
  const first = await until(status, (s) => s.status === 'done', 30_000);
  expect(first).toMatchObject({ status: 'done', fetched: 0, created: 0, lastError: null, startedAt: expect.any(String), finishedAt: expect.any(String) });
  const dispatcher = await staffSession(server, 'dispatcher');
  expect((await call(server.url, '/api/v1/oa/follower-sync', { token: dispatcher.token })).status).toBe(403);
  expect((await call(server.url, '/api/v1/oa/follower-sync')).status).toBe(401);
});

it('syncs 10,000 followers with their unionids, then a second run changes nothing', { timeout: 600_000 }, async () => {
  // A person who used the mini-program before: their follower record must join them, not duplicate.
  const code = (await call(server.sandbox.url, '/mp/login-code', { body: { openid: 'oMpBeforeFollow', unionid: 'uSync5' } })).body.code;
  const before = (await call(server.url, '/api/v1/auth/mp-login', { body: { code } })).body.user;
  const created = await call(server.sandbox.url, '/oa/users/bulk', { body: { count: 10_000, prefix: 'oSync', unionidPrefix: 'uSync' } });
  expect(created.body).toEqual({ created: 10_000 });

  const callsOf = (path: string) => server.sandbox.sandbox.calls().filter((c) => c.path === path).length;
  const [pagesBefore, batchesBefore] = [callsOf('/cgi-bin/user/get'), callsOf('/cgi-bin/user/info/batchget')];
  expect((await call(server.url, '/api/v1/oa/follower-sync', { token: admin, method: 'POST' })).status).toBe(202);
  const done = await until(status, (s) => s.status === 'done' && s.fetched === 10_000);
  expect(done).toMatchObject({ status: 'done', total: 10_000, fetched: 10_000, created: 9_999, linked: 1, lastError: null });

  expect(await WeChatUser.countDocuments({ oaOpenid: /^oSync/ })).toBe(10_000);
  expect(await WeChatUser.findOne({ oaOpenid: 'oSync777' }).lean()).toMatchObject({ unionid: 'uSync777', subscribed: true });
  expect(await WeChatUser.findById(before.id).lean()).toMatchObject({ oaOpenid: 'oSync5', mpOpenid: 'oMpBeforeFollow', subscribed: true });
  // WeChat was asked page by page and 100 at a time.
  expect(callsOf('/cgi-bin/user/get') - pagesBefore).toBe(2);
  expect(callsOf('/cgi-bin/user/info/batchget') - batchesBefore).toBe(100);

  const users = await WeChatUser.countDocuments({});
  expect((await call(server.url, '/api/v1/oa/follower-sync', { token: admin, method: 'POST' })).status).toBe(202);
  const again = await until(status, (s) => s.status === 'done' && s.startedAt !== done.startedAt);
  expect(again).toMatchObject({ status: 'done', fetched: 10_000, created: 0, linked: 0, updated: 0 });
  expect(await WeChatUser.countDocuments({})).toBe(users);
});

it('resumes a failed run from the last batch it stored', { timeout: 120_000 }, async () => {
  await FollowerSync.deleteMany({});
  server.sandbox.sandbox.reset();
  await call(server.sandbox.url, '/oa/users/bulk', { body: { count: 450, prefix: 'oResume', unionidPrefix: 'uResume' } });
  const client = createOfficialAccountClient({ baseUrl: server.sandbox.url, ...TEST_OA, tokenStore: createMongoTokenStore() });
  const asked: string[] = [];
  let batches = 0;
  const failing: FollowerListSource = {
    getFollowers: (next = '') => {
      asked.push(next);
      return client.getFollowers(next);
    },
    batchGetUserInfo: async (openids) => {
      batches += 1;
      if (batches === 3) throw new Error('network down');
      return client.batchGetUserInfo(openids);
    },
  };
  const logger = createLogger('silent');
  await expect(runFollowerSync(TEST_OA.appid, failing, logger)).rejects.toThrow('network down');
  expect(await FollowerSync.findById(TEST_OA.appid).lean()).toMatchObject({ state: 'failed', nextOpenid: 'oResume200', fetched: 200, lastError: 'network down' });
  expect((await status()).status).toBe('failed');

  await runFollowerSync(TEST_OA.appid, failing, logger);
  expect(asked).toEqual(['', 'oResume200', 'oResume450']);
  expect(await FollowerSync.findById(TEST_OA.appid).lean()).toMatchObject({ state: 'done', nextOpenid: '', fetched: 450, created: 450 });
  expect(await WeChatUser.countDocuments({ oaOpenid: /^oResume/ })).toBe(450);
});
