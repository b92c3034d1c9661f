// After a follow, a job asks WeChat (the sandbox) for the follower's unionid and links the
// Official Account follower with the same person's mini-program identity — in either order.
import { expect, it } from 'vitest';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { syncFollower } from '../../src/modules/official-account/official-account.jobs.js';
import { createLogger } from '../../src/logger.js';
import { eventMessage, pushXml } from '../helpers/oa.js';
import { call, TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
const options = { token: TEST_OA.token, appid: TEST_OA.appid };

useTestServer((started) => {
  server = started;
});

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function mpLogin(openid: string, unionid: string) {
  const code = (await call(server.sandbox.url, '/mp/login-code', { body: { openid, unionid } })).body.code;
  return call(server.url, '/api/v1/auth/mp-login', { body: { code } });
}

it('follow first, mini-program later: one person who follows the Official Account', async () => {
  server.sandbox.sandbox.registerUser({ openid: 'oFollowFirst01', unionid: 'uPerson0001' });
  expect((await pushXml(server.url, eventMessage('oFollowFirst01', 'subscribe', ''), options)).status).toBe(200);
  const follower = await until(
    () => WeChatUser.findOne({ oaOpenid: 'oFollowFirst01' }).lean(),
    (user) => user?.unionid === 'uPerson0001',
  );
  expect(follower?.unionid).toBe('uPerson0001');

  const login = await mpLogin('oMpLater00001', 'uPerson0001');
  expect(login.body.user).toMatchObject({ id: follower?._id, followsOfficialAccount: true, unionid: 'uPerson0001' });
});

it('mini-program first, follow later: the follower record is folded into the existing person', async () => {
  const first = await mpLogin('oMpFirst00001', 'uPerson0002');
  expect(first.body.user.followsOfficialAccount).toBe(false);
  server.sandbox.sandbox.registerUser({ openid: 'oFollowLater01', unionid: 'uPerson0002' });
  await pushXml(server.url, eventMessage('oFollowLater01', 'subscribe', 'qrscene_7'), options);

  const merged = await until(
    () => WeChatUser.findById(first.body.user.id).lean(),
    (user) => user?.oaOpenid === 'oFollowLater01',
  );
  expect(merged).toMatchObject({ mpOpenid: 'oMpFirst00001', oaOpenid: 'oFollowLater01', subscribed: true, subscribeScene: '7' });
  // The follower record is folded in and then removed: one person once the merge has finished.
  const people = await until(
    () => WeChatUser.countDocuments({ $or: [{ oaOpenid: 'oFollowLater01' }, { mpOpenid: 'oMpFirst00001' }] }),
    (count) => count === 1,
  );
  expect(people).toBe(1);

  const again = await mpLogin('oMpFirst00001', 'uPerson0002');
  expect(again.body.user).toMatchObject({ id: first.body.user.id, followsOfficialAccount: true });
});

it('the job is idempotent and gives up quietly on an openid WeChat does not know', async () => {
  await pushXml(server.url, eventMessage('oUnknownToWx01', 'subscribe', ''), options);
  const wechat = { getUserInfo: async () => Promise.reject(Object.assign(new Error('invalid openid'), { errcode: 40003 })) };
  await expect(syncFollower('oUnknownToWx01', wechat, createLogger('silent'))).resolves.toBeUndefined();
  const linked = { getUserInfo: async () => ({ unionid: 'uPerson0003' }) };
  await syncFollower('oUnknownToWx01', linked, createLogger('silent'));
  await syncFollower('oUnknownToWx01', linked, createLogger('silent'));
  expect((await WeChatUser.findOne({ oaOpenid: 'oUnknownToWx01' }).lean())?.unionid).toBe('uPerson0003');
});
