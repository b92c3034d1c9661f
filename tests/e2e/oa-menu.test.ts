// The console's 自定义菜单 in Chromium: WeChat's rules shown in Chinese while editing, the preview,
// publishing through menu/create (the sandbox keeps what WeChat would show followers); and 自动回复.
import { describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../../server/src/config.js';
import { buildInbound, messageXml } from '../../server/src/wechat/oa/inbound.js';
import { api } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';
import { watchCsp } from './csp.js';

const env = useE2eEnvironment();

describe('custom menu in the console', () => {
  it('edits, checks, previews and publishes the menu', async () => {
    const url = env.server.url;
    const { page, context } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    const csp = await watchCsp(page);
    await page.goto(`${url}/admin/marketing/oa-menu`);
    await page.waitForURL(/\/admin\/login/);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', ADMIN_PASSWORD);
    await page.click('#login-submit');
    await page.locator('#menu-page').waitFor();
    await expect.poll(() => page.locator('#menu-published-at').innerText()).toContain('尚未发布菜单');

    await page.locator('#menu-add').click();
    await page.locator('#menu-name').fill('自助服务中心');
    await expect.poll(() => page.locator('#menu-problems').innerText()).toContain('一级菜单名称最多 16 个字节（4 个汉字）');
    await expect.poll(() => page.locator('#menu-problems').innerText()).toContain('请填写关键词');
    expect(await page.locator('#menu-publish').isDisabled()).toBe(true);

    await page.locator('#menu-name').fill('服务');
    await page.locator('#menu-add-sub').click();
    await page.locator('#menu-name').fill('自助服务');
    await page.locator('#menu-type-view').click();
    await page.locator('#menu-url').fill(`${url}/h5/`);
    await page.locator('#menu-add').click();
    await page.locator('#menu-name').fill('热线');
    await page.locator('#menu-key').fill('MENU_HOTLINE');
    await expect.poll(() => page.locator('#menu-problems').count()).toBe(0);
    expect(await page.locator('#menu-preview').innerText()).toContain('热线');

    await page.locator('#menu-publish').click();
    await page.locator('#menu-publish-confirm').click();
    await expect.poll(() => page.locator('#menu-published-at').innerText()).toContain('当前菜单发布于');
    const { menu } = await api(url, '/sandbox/oa/menu');
    // The sandbox adds WeChat's menuid to what was published.
    expect(menu).toMatchObject({
      button: [
        { name: '服务', sub_button: [{ type: 'view', name: '自助服务', url: `${url}/h5/` }] },
        { type: 'click', name: '热线', key: 'MENU_HOTLINE' },
      ],
    });
    expect(errors).toEqual([]);
    expect(await csp.violations()).toEqual([]);
    await context.close();
  });

  it('自动回复: a keyword rule made in the console answers followers', async () => {
    const url = env.server.url;
    const { page, context } = await env.browser.newPage();
    await page.goto(`${url}/admin/login?redirect=${encodeURIComponent('/marketing/auto-replies')}`);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', ADMIN_PASSWORD);
    await page.click('#login-submit');
    await page.locator('#auto-replies-page').waitFor();
    await page.locator('#auto-reply-add').click();
    await page.locator('#auto-reply-save').click();
    await expect.poll(() => page.locator('.ant-modal').innerText()).toContain('请填写回复内容');
    await page.locator('#auto-reply-keyword').fill('热线');
    await page.locator('#auto-reply-reply').fill('服务热线：400-000-0000');
    await page.locator('#auto-reply-save').click();
    await expect.poll(() => page.locator('#auto-reply-table').innerText()).toContain('服务热线：400-000-0000');

    const xml = messageXml({ ToUserName: 'gh_qiao', FromUserName: 'oE2eAutoReply01', CreateTime: Math.floor(Date.now() / 1000), MsgType: 'text', Content: '热线', MsgId: '7300000000000000001' });
    const { query, body } = buildInbound(xml, { token: SANDBOX_CREDENTIALS.oa.token, appid: SANDBOX_CREDENTIALS.oa.appid });
    const reply = await (await fetch(`${url}/wechat/oa?${new URLSearchParams(query)}`, { method: 'POST', body })).text();
    expect(reply).toContain('服务热线：400-000-0000');
    await context.close();
  });
});
