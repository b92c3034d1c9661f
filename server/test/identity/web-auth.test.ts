// H5 login through the Official Account's web authorisation: the state cannot be forged, replayed
// or used from another browser; codes are single use; the session reaches the H5 app as a one-time
// ticket; outside WeChat the start route says to open the link in WeChat.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { unique } from '../helpers/factories.js';
import { call, TEST_MP, TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';
import { Browser, pick, startAuth, ticketOf, webLogin } from '../helpers/web-auth.js';

let server: TestServer;
useTestServer((started) => {
  server = started;
});

const follower = (unionid?: string) => {
  const openid = unique('oOauth');
  server.sandbox.sandbox.registerUser({ openid, ...(unionid ? { unionid } : {}) });
  return openid;
};

describe('start', () => {
  it('sends WeChat browsers to the authorize page with snsapi_base and a fresh state', async () => {
    const browser = new Browser();
    const authorize = await startAuth(server, browser, '/h5/#/pages/feedback/detail?id=42');
    expect(`${authorize.origin}${authorize.pathname}`).toBe('https://open.weixin.qq.com/connect/oauth2/authorize');
    expect(authorize.hash).toBe('#wechat_redirect');
    const query = Object.fromEntries(authorize.searchParams);
    expect(query).toMatchObject({ appid: TEST_OA.appid, response_type: 'code', scope: 'snsapi_base', redirect_uri: `${server.url}/api/v1/auth/oauth/callback` });
    expect(query.state).toMatch(/^[0-9a-f]{64}$/);
    expect((await startAuth(server, browser)).searchParams.get('state')).not.toBe(query.state);
  });

  it('outside WeChat (real WeChat configured) shows a page saying to open the link in WeChat', async () => {
    const page = await new Browser().get(`${server.url}/api/v1/auth/oauth/start?redirect=%2Fh5%2F`, 'Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0');
    expect(page.status).toBe(200);
    expect(page.location).toBeNull();
    expect(page.text).toContain('请在微信中打开');
  });

  it('lands inside the H5 app only: another site as redirect becomes the H5 home page', async () => {
    const openid = follower();
    for (const redirect of ['https://evil.example/h5/', '//evil.example/h5/', '/h5/\\\\evil.example', '/admin/']) {
      const browser = new Browser();
      const callback = await pick(server, await startAuth(server, browser, redirect), `oa:${openid}`);
      const landed = await browser.get(callback.toString());
      expect(landed.location).toMatch(/^\/h5\/#\/pages\/index\/index\?qiao_ticket=/);
    }
  });
});

describe('callback', () => {
  it('logs the follower in: openid and unionid on one WeChat user, the session handed over once as a ticket', async () => {
    const openid = follower('uOauthPerson01');
    const browser = new Browser();
    const authorize = await startAuth(server, browser, '/h5/#/pages/feedback/detail?id=7');
    const picker = await fetch(`${server.sandbox.url}/connect/oauth2/authorize?${authorize.searchParams}`);
    expect(await picker.text()).toContain(openid);
    const callback = await pick(server, authorize, `oa:${openid}`);
    expect(callback.searchParams.get('state')).toBe(authorize.searchParams.get('state'));

    const landed = await browser.get(callback.toString());
    expect(landed.status).toBe(302);
    // The bearer token never travels in a URL: only a one-time ticket, in the fragment.
    expect(landed.location).toMatch(/^\/h5\/#\/pages\/feedback\/detail\?id=7&qiao_ticket=[A-Za-z0-9_-]{43}$/);
    const ticket = ticketOf(landed.location);
    const session = await call(server.url, '/api/v1/auth/oauth/ticket', { body: { ticket } });
    expect(session.status).toBe(200);
    const user = await WeChatUser.findById(session.body.user.id).lean();
    // The follow event never reached Qiao (followed before): WeChat's user/info tells, at login.
    expect(user).toMatchObject({ oaOpenid: openid, unionid: 'uOauthPerson01', subscribed: true });
    expect(session.body.user.followsOfficialAccount).toBe(true);
    expect((await call(server.url, '/api/v1/me', { token: session.body.token })).body.user.id).toBe(user?._id);

    const again = await call(server.url, '/api/v1/auth/oauth/ticket', { body: { ticket } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('OAUTH_TICKET_INVALID');
  });

  it('someone who does not follow logs in too, and is not taken for a follower', async () => {
    const openid = unique('oNotFollowing');
    server.sandbox.sandbox.registerUser({ openid, subscribed: false });
    const session = await webLogin(server, `oa:${openid}`);
    expect(session.user).toMatchObject({ followsOfficialAccount: false });
    expect(await WeChatUser.findOne({ oaOpenid: openid }).lean()).toMatchObject({ subscribed: false });
  });

  it('the same follower logging in again is the same WeChat user', async () => {
    const openid = follower();
    const first = await webLogin(server, `oa:${openid}`);
    const second = await webLogin(server, `oa:${openid}`);
    expect(second.user.id).toBe(first.user.id);
    expect(await WeChatUser.countDocuments({ oaOpenid: openid })).toBe(1);
  });

  it('refuses a forged state with a Chinese page', async () => {
    const openid = follower();
    const browser = new Browser();
    const callback = await pick(server, await startAuth(server, browser), `oa:${openid}`);
    callback.searchParams.set('state', randomBytes(32).toString('hex'));
    const forged = await browser.get(callback.toString());
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('登录请求无效或已被篡改');
    expect(forged.text).toContain('OAUTH_STATE_INVALID');
    const garbage = await browser.get(`${server.url}/api/v1/auth/oauth/callback?code=x&state=${encodeURIComponent('<script>')}`);
    expect(garbage.status).toBe(403);
    expect(garbage.text).not.toContain('<script>');
  });

  it('answers a program (no HTML accepted) with the JSON error shape', async () => {
    const answer = await call(server.url, `/api/v1/auth/oauth/callback?code=x&state=${randomBytes(32).toString('hex')}`);
    expect(answer.status).toBe(403);
    expect(answer.body.error).toMatchObject({ code: 'OAUTH_STATE_INVALID', message: expect.stringContaining('请返回微信重新打开链接') });
  });

  it('refuses a real state brought to another browser (someone else\'s callback link)', async () => {
    const openid = follower();
    const callback = await pick(server, await startAuth(server, new Browser()), `oa:${openid}`);
    const elsewhere = await new Browser().get(callback.toString());
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.text).toContain('OAUTH_STATE_INVALID');
  });

  it('refuses a replayed state', async () => {
    const openid = follower();
    const browser = new Browser();
    const callback = await pick(server, await startAuth(server, browser), `oa:${openid}`);
    expect((await browser.get(callback.toString())).status).toBe(302);
    const replay = await browser.get(callback.toString());
    expect(replay.status).toBe(403);
    expect(replay.text).toContain('该登录链接已使用过');
    expect(replay.text).toContain('OAUTH_STATE_USED');
  });

  it('a replayed state wins once even when both arrive at the same moment', async () => {
    const openid = follower();
    const browser = new Browser();
    const callback = await pick(server, await startAuth(server, browser), `oa:${openid}`);
    const answers = await Promise.all([1, 2, 3, 4].map(() => browser.get(callback.toString())));
    expect(answers.map((answer) => answer.status).sort()).toEqual([302, 403, 403, 403]);
  });

  it('a code used once is refused the second time (40163 from WeChat)', async () => {
    const openid = follower();
    const browser = new Browser();
    const first = await pick(server, await startAuth(server, browser), `oa:${openid}`);
    expect((await browser.get(first.toString())).status).toBe(302);
    const second = new URL(first);
    second.searchParams.set('state', (await startAuth(server, browser)).searchParams.get('state')!);
    const reused = await browser.get(second.toString());
    expect(reused.status).toBe(400);
    expect(reused.text).toContain('OAUTH_CODE_INVALID');
    expect(reused.text).toContain('微信授权已失效');
  });

  it('no code (the user refused) is a Chinese page, not a login', async () => {
    const browser = new Browser();
    const authorize = await startAuth(server, browser);
    const refused = await browser.get(`${server.url}/api/v1/auth/oauth/callback?state=${authorize.searchParams.get('state')}`);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('OAUTH_DENIED');
  });
});

describe('sandbox sns/oauth2/access_token', () => {
  const exchange = (query: Record<string, string>) =>
    call(server.sandbox.url, `/sns/oauth2/access_token?${new URLSearchParams({ grant_type: 'authorization_code', ...query })}`);

  it('answers WeChat\'s fields once per code: 40163 reused, 40029 unknown, wrong app refused', async () => {
    const openid = follower('uOauthPerson02');
    const callback = await pick(server, await startAuth(server, new Browser()), `oa:${openid}`);
    const code = callback.searchParams.get('code')!;
    const credentials = { appid: TEST_OA.appid, secret: TEST_OA.secret };
    expect((await exchange({ ...credentials, code, secret: 'wrong' })).body.errcode).toBe(40125);
    expect((await exchange({ appid: TEST_MP.appid, secret: TEST_MP.secret, code })).body.errcode).toBe(40013);
    const answer = await exchange({ ...credentials, code });
    expect(answer.body).toMatchObject({ openid, unionid: 'uOauthPerson02', scope: 'snsapi_base', expires_in: 7200 });
    expect(answer.body.access_token).toEqual(expect.any(String));
    expect(answer.body.refresh_token).toEqual(expect.any(String));
    const reused = await exchange({ ...credentials, code });
    expect(reused.body.errcode).toBe(40163);
    expect(reused.body.errmsg).toMatch(/^code been used rid: /);
    expect((await exchange({ ...credentials, code: 'nope' })).body.errcode).toBe(40029);
  });

  it('the picker creates a person who follows, with one unionid across the Official Account and the mini-program', async () => {
    const openid = unique('oNewPerson');
    const session = await webLogin(server, 'new', { openid, nickname: '小王', follow: '1' });
    const seen = server.sandbox.sandbox.user(openid);
    expect(seen).toMatchObject({ subscribed: true, nickname: '小王' });
    expect(seen?.unionid).toMatch(/^u/);
    expect(session.user.unionid).toBe(seen?.unionid);
  });

  it('authorize refuses bad parameters with a page', async () => {
    const bad = await fetch(`${server.sandbox.url}/connect/oauth2/authorize?appid=${TEST_MP.appid}&redirect_uri=https%3A%2F%2Fx.example%2F&response_type=code&scope=snsapi_base&state=a`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('appid 参数错误');
  });
});
