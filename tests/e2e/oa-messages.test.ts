// 营销 → 公众号消息 in Chromium: a follower's message with intent appears with 意向, the thread
// opens, a reply goes out as a customer-service message (the sandbox keeps what WeChat delivered);
// a follower past the 48-hour window cannot be answered and the page says why.
import { describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../../server/src/config.js';
import { WeChatUser } from '../../server/src/modules/identity/wechat-user.model.js';
import { OaConversation } from '../../server/src/modules/official-account/oa-message.model.js';
import { buildInbound, messageXml } from '../../server/src/wechat/oa/inbound.js';
import { api, eventually } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';
import { watchCsp } from './csp.js';

const env = useE2eEnvironment();
let msgId = 7_400_000_000_000_000_000n;

async function says(openid: string, content: string): Promise<void> {
  const xml = messageXml({ ToUserName: 'gh_qiao', FromUserName: openid, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'text', Content: content, MsgId: String((msgId += 1n)) });
  const { query, body } = buildInbound(xml, { token: SANDBOX_CREDENTIALS.oa.token, appid: SANDBOX_CREDENTIALS.oa.appid });
  expect((await fetch(`${env.server.url}/wechat/oa?${new URLSearchParams(query)}`, { method: 'POST', body })).status).toBe(200);
}

describe('公众号消息 in the console', () => {
  it('shows the conversation with its intent, replies inside the 48-hour window, and closes the reply box past it', async () => {
    const url = env.server.url;
    const openid = 'oE2eChat0001';
    // WeChat's side: a follower whose message opened the customer-service window.
    await api(url, '/sandbox/oa/users', { body: { openid, subscribed: true } });
    await api(url, '/sandbox/oa/interactions', { body: { openid, kind: 'message' } });
    await says(openid, '你好，我想了解一下你们的报价');

    const { page, context } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    const csp = await watchCsp(page);
    await page.goto(`${url}/admin/login?redirect=${encodeURIComponent('/marketing/oa-messages')}`);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', ADMIN_PASSWORD);
    await page.click('#login-submit');
    await page.locator('#oa-messages-page').waitFor();
    const item = page.locator('#oa-conversations .oa-conversation').first();
    await expect.poll(() => item.innerText(), { timeout: 10_000 }).toContain('我想了解一下你们的报价');
    expect(await item.locator('.oa-intent').innerText()).toBe('意向');

    await item.click();
    await expect.poll(() => page.locator('#oa-messages').innerText()).toContain('我想了解一下你们的报价');
    expect(await page.locator('#oa-reply-send').isDisabled()).toBe(true);
    await page.locator('#oa-reply-text').fill('您好，稍后销售会联系您。');
    await page.locator('#oa-reply-send').click();
    await expect.poll(() => page.locator('#oa-messages .oa-message-out').count()).toBe(1);
    const delivered = await eventually(
      () => api<{ items: Array<{ kind: string; payload: { text?: { content: string } } }> }>(url, `/sandbox/messages?openid=${openid}&kind=custom`),
      (sent) => sent.items.length > 0,
    );
    expect(delivered.items.map((m) => m.payload.text?.content)).toEqual(['您好，稍后销售会联系您。']);
    expect(await page.locator('#oa-make-lead').isVisible()).toBe(true);

    // Another follower wrote 49 hours ago: WeChat no longer accepts a customer-service message.
    const late = 'oE2eChat0002';
    await says(late, '在吗');
    const longAgo = new Date(Date.now() - 49 * 3600_000);
    await eventually(() => OaConversation.findById(late).lean(), (doc) => doc !== null);
    await WeChatUser.updateOne({ oaOpenid: late }, { $set: { lastInteractionAt: longAgo } });
    await OaConversation.updateOne({ _id: late }, { $set: { lastInboundAt: longAgo } });
    await page.reload();
    await page.locator('#oa-conversations .oa-conversation', { hasText: '在吗' }).click();
    await expect.poll(() => page.locator('#oa-reply-hint').innerText()).toContain('48 小时内没有给公众号发消息');
    expect(await page.locator('#oa-reply-text').isDisabled()).toBe(true);
    expect(await page.locator('#oa-reply-send').isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    expect(await csp.violations()).toEqual([]);
    await context.close();
  });
});
