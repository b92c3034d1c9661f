// Mini-program H5 in Chromium: logs in through the WeChat sandbox, shows the customer's service
// requests — the Chinese empty state first, then real records of this customer only.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WeChatUser } from '../../server/src/modules/identity/wechat-user.model.js';
import { api, seedVerifiedCustomer, staffToken } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';
import { watchCsp } from './csp.js';

const env = useE2eEnvironment();

const pageUrl = (openid: string) => `${env.server.url}/h5/?openid=${openid}#/pages/index/index`;

describe('mini-program H5, first page', () => {
  it('logs in through the sandbox and shows the empty state', async () => {
    const { page, context } = await env.browser.newPage({ mobile: true });
    const errors = collectPageErrors(page);
    const csp = await watchCsp(page);
    const response = await page.goto(pageUrl('oE2eCustomer0001'));
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self' 'sha256-");
    await page.locator('#feedback-empty').waitFor();
    const text = await page.locator('#feedback-empty').innerText();
    expect(text).toContain('暂无服务请求');
    expect(await WeChatUser.countDocuments({ mpOpenid: 'oE2eCustomer0001' })).toBe(1);
    expect(errors).toEqual([]);
    expect(await csp.violations()).toEqual([]);
    await context.close();
  });

  it('lists this customer\'s own requests, not other people\'s', async () => {
    const url = env.server.url;
    const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
    const me = await seedVerifiedCustomer(url, admin, { openid: 'oE2eCustomer0002', phone: '13700000002', customerName: '杭州湖滨酒店' });
    const other = await seedVerifiedCustomer(url, admin, { openid: 'oE2eCustomer0003', phone: '13700000003', customerName: '宁波港务公司' });
    const submit = (token: string, type: string, description: string) =>
      api(url, '/api/v1/feedbacks', { token, body: { clientRequestId: randomUUID(), type, description, contactPhone: '13700000002' } });
    await submit(me.token, 'repair', '空调外机异响，制冷效果差');
    await submit(me.token, 'consultation', '滤网多久更换一次？');
    await submit(other.token, 'complaint', '别人的投诉');

    const { page, context } = await env.browser.newPage({ mobile: true });
    await page.goto(pageUrl('oE2eCustomer0002'));
    await page.locator('#feedback-list').waitFor();
    await expect.poll(() => page.locator('#feedback-list .feedback-item').count()).toBe(2);
    const list = await page.locator('#feedback-list').innerText();
    expect(list).toMatch(/FW\d{8}-\d{4}/);
    expect(list).toContain('报修');
    expect(list).toContain('待派工');
    expect(list).toContain('滤网多久更换一次');
    expect(list).not.toContain('别人的投诉');
    await context.close();
  });
});
