// Admin console in Chromium: login → shell, wrong password, logout, deep link after login.
import { describe, expect, it } from 'vitest';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';
import { watchCsp } from './csp.js';

const env = useE2eEnvironment();

describe('admin console', () => {
  it('logs in to the shell, shows the user, and logs out', async () => {
    const { page, context } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    const csp = await watchCsp(page);
    const response = await page.goto(`${env.server.url}/admin/`);
    expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response?.headers()['x-frame-options']).toBe('DENY');
    await page.waitForURL(/\/admin\/login/);

    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', 'not-the-password');
    await page.click('#login-submit');
    await expect.poll(() => page.locator('#login-error').innerText()).toContain('账号或密码错误');

    await page.fill('#login-password', ADMIN_PASSWORD);
    await page.click('#login-submit');
    await page.locator('#app-shell').waitFor();
    await expect.poll(() => page.locator('#current-user').innerText()).toContain('系统管理员');
    await expect.poll(() => page.title()).toContain('桥');
    const menu = await page.locator('#app-shell').innerText();
    for (const area of ['工作台', '服务', '营销', '销售', '报表']) expect(menu).toContain(area);

    await page.click('#logout');
    await page.waitForURL(/\/admin\/login/);
    expect(await page.evaluate(() => localStorage.getItem('qiao.admin.session'))).toBeNull();
    expect(errors).toEqual([]);
    expect(await csp.violations()).toEqual([]);
    await context.close();
  });

  it('returns to the page that was asked for after login, and refuses a bad session', async () => {
    const { page, context } = await env.browser.newPage();
    await page.goto(`${env.server.url}/admin/sales/pool`);
    await page.waitForURL(/\/admin\/login\?redirect=/);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', ADMIN_PASSWORD);
    await page.click('#login-submit');
    await page.waitForURL(/\/admin\/sales\/pool$/);
    await page.locator('#pool-table').waitFor();

    // A session the server no longer knows sends the user back to the login page.
    await page.evaluate(() => {
      const session = JSON.parse(localStorage.getItem('qiao.admin.session') ?? '{}');
      localStorage.setItem('qiao.admin.session', JSON.stringify({ ...session, token: 'x'.repeat(43) }));
    });
    await page.reload();
    await page.waitForURL(/\/admin\/login/);
    await context.close();
  });
});
