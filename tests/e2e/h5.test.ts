// Mini-program H5 in Chromium: logs in through the WeChat sandbox, shows the customer's service
// requests — the Chinese empty state first, then real records of this customer only.
import { describe, expect, it } from 'vitest';
import { WeChatUser } from '../../server/src/modules/identity/wechat-user.model.js';
import { Feedback } from '../../server/src/modules/service/feedback.model.js';
import { collectPageErrors } from '../support/browser.js';
import { useE2eEnvironment } from '../support/setup.js';

const env = useE2eEnvironment();

const pageUrl = (openid: string) => `${env.server.url}/h5/?openid=${openid}#/pages/index/index`;

describe('mini-program H5, first page', () => {
  it('logs in through the sandbox and shows the empty state', async () => {
    const { page, context } = await env.browser.newPage({ mobile: true });
    const errors = collectPageErrors(page);
    await page.goto(pageUrl('oE2eCustomer0001'));
    await page.locator('#feedback-empty').waitFor();
    const text = await page.locator('#feedback-empty').innerText();
    expect(text).toContain('暂无服务请求');
    expect(await WeChatUser.countDocuments({ mpOpenid: 'oE2eCustomer0001' })).toBe(1);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lists this customer\'s own requests, not other people\'s', async () => {
    const { page, context } = await env.browser.newPage({ mobile: true });
    await page.goto(pageUrl('oE2eCustomer0002'));
    await page.locator('#feedback-empty').waitFor();
    const user = await WeChatUser.findOne({ mpOpenid: 'oE2eCustomer0002' }).lean();
    const other = await WeChatUser.findOne({ mpOpenid: 'oE2eCustomer0001' }).lean();
    await Feedback.create([
      { number: 'FW20261122-0001', wechatUserId: user!._id, type: 'repair', status: 'dispatched', description: '空调外机异响，制冷效果差' },
      { number: 'FW20261122-0002', wechatUserId: user!._id, type: 'consultation', status: 'submitted', description: '滤网多久更换一次？' },
      { number: 'FW20261122-0003', wechatUserId: other!._id, type: 'complaint', status: 'submitted', description: '别人的投诉' },
    ]);
    await page.reload();
    await page.locator('#feedback-list').waitFor();
    await expect.poll(() => page.locator('#feedback-list .feedback-item').count()).toBe(2);
    const list = await page.locator('#feedback-list').innerText();
    expect(list).toContain('FW20261122-0001');
    expect(list).toContain('报修');
    expect(list).toContain('已派工');
    expect(list).not.toContain('别人的投诉');
    await context.close();
  });
});
