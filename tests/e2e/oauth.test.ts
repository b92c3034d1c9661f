// H5 inside WeChat logs in through the Official Account's web authorisation. A person who used the
// mini-program follows the Official Account, taps the welcome message's link, picks themselves on
// the sandbox's authorize page and lands in H5 logged in as themselves, seeing their earlier
// requests. Opening /h5/ with no identity at all goes the same way (development: the picker).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../../server/src/config.js';
import { WeChatUser } from '../../server/src/modules/identity/wechat-user.model.js';
import { buildInbound, messageXml } from '../../server/src/wechat/oa/inbound.js';
import { api, eventually, staffToken } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';
import { watchCsp } from './csp.js';

const env = useE2eEnvironment();

const PERSON = { mpOpenid: 'oE2eOauthMp0001', oaOpenid: 'oE2eOauthOa0001', unionid: 'uE2eOauthPerson1', phone: '13600136001' };

/** WeChat pushes the follow; the passive reply is the welcome message. */
async function follow(url: string, openid: string): Promise<string> {
  const xml = messageXml({ ToUserName: 'gh_qiao', FromUserName: openid, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: 'subscribe', EventKey: '' });
  const { query, body } = buildInbound(xml, { token: SANDBOX_CREDENTIALS.oa.token, appid: SANDBOX_CREDENTIALS.oa.appid });
  const response = await fetch(`${url}/wechat/oa?${new URLSearchParams(query)}`, { method: 'POST', body });
  expect(response.status).toBe(200);
  return response.text();
}

describe('web authorisation in H5', () => {
  it('a follower taps the welcome link and lands logged in as themselves, with their earlier requests', async () => {
    const url = env.server.url;
    const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
    const customer = await api(url, '/api/v1/customers', { token: admin, body: { name: '苏州园区酒店', region: '苏州' } });
    await api(url, '/api/v1/contacts', { token: admin, body: { customerId: customer.id, name: '周经理', phone: PERSON.phone } });

    // Earlier, in the mini-program: verified and two requests.
    const { code } = await api(url, '/sandbox/mp/login-code', { body: { openid: PERSON.mpOpenid, unionid: PERSON.unionid } });
    const mp = await api(url, '/api/v1/auth/mp-login', { body: { code } });
    await api(url, '/api/v1/me/verification/code', { token: mp.token, body: { phone: PERSON.phone } });
    const inbox = await api<{ items: Array<{ code: string }> }>(url, `/sandbox/sms?phone=${PERSON.phone}`);
    await api(url, '/api/v1/me/verification', { token: mp.token, body: { phone: PERSON.phone, code: inbox.items.at(-1)!.code } });
    for (const description of ['中央空调漏水', '新风机滤网更换']) {
      await api(url, '/api/v1/feedbacks', { token: mp.token, body: { clientRequestId: randomUUID(), type: 'repair', description, contactPhone: PERSON.phone } });
    }

    // Now they follow the Official Account; WeChat answers the unionid, Qiao joins the two.
    await api(url, '/sandbox/oa/users', { body: { openid: PERSON.oaOpenid, unionid: PERSON.unionid, nickname: '周经理' } });
    const welcome = await follow(url, PERSON.oaOpenid);
    const link = /<a href="([^"]+)">进入自助服务<\/a>/.exec(welcome)?.[1];
    expect(link).toMatch(/\/api\/v1\/auth\/oauth\/start\?redirect=%2Fh5%2F$/);
    expect(welcome).toContain('data-miniprogram-path="pages/index/index"');
    await eventually(() => WeChatUser.findOne({ oaOpenid: PERSON.oaOpenid }).lean(), (user) => user?.mpOpenid === PERSON.mpOpenid);

    const { page, context } = await env.browser.newPage({ mobile: true });
    const errors = collectPageErrors(page);
    const csp = await watchCsp(page);
    // This browser was used by someone else before (development identity, same origin as the link).
    await page.goto(`${new URL(link!).origin}/h5/?openid=oE2eOauthOther01#/pages/index/index`);
    await page.locator('#feedback-empty').waitFor({ timeout: 20_000 });
    await page.goto(link!);
    // The sandbox's authorize page: who are you?
    const me = page.locator(`form.person[data-openid="${PERSON.oaOpenid}"]`);
    await expect.poll(() => me.innerText()).toContain('周经理');
    await me.locator('button').click();

    await page.locator('#feedback-list').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('#feedback-list .feedback-item').count()).toBe(2);
    const list = await page.locator('#feedback-list').innerText();
    expect(list).toContain('中央空调漏水');
    expect(list).toContain('新风机滤网更换');
    // The one-time ticket is gone from the address bar once used.
    expect(page.url()).not.toContain('qiao_ticket');
    expect(errors).toEqual([]);
    expect(await csp.violations()).toEqual([]);
    await context.close();
  });

  it('H5 opened with no identity goes to the picker (development) and a new person lands logged in', async () => {
    const url = env.server.url;
    const { page, context } = await env.browser.newPage({ mobile: true });
    const errors = collectPageErrors(page);
    await page.goto(`${url}/h5/#/pages/index/index`);
    const create = page.locator('#new-person');
    await create.waitFor({ timeout: 20_000 });
    await create.locator('input[name="openid"]').fill('oE2eOauthNew001');
    await create.locator('input[name="nickname"]').fill('新客户');
    await create.locator('button').click();
    await page.locator('#feedback-empty').waitFor({ timeout: 20_000 });
    expect(await page.locator('#feedback-empty').innerText()).toContain('暂无服务请求');
    const user = await WeChatUser.findOne({ oaOpenid: 'oE2eOauthNew001' }).lean();
    // 关注公众号 was ticked on the picker: Qiao learns it from WeChat's user/info at the login.
    expect(user).toMatchObject({ unionid: expect.stringMatching(/^u/), subscribed: true });
    expect(errors).toEqual([]);
    await context.close();
  });
});
