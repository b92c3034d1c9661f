// 客户公海 in Chromium: a salesperson claims a pool customer (with a confirmation), transfers it to a
// colleague from the customer drawer with a reason; the admin edits the pool rules.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, staffToken } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';

const env = useE2eEnvironment();
const PASSWORD = 'sales-pass-2026';

async function login(page: Page, username: string, password: string, path: string) {
  await page.goto(`${env.server.url}/admin/login?redirect=${encodeURIComponent(path)}`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForURL(new RegExp(`/admin${path}$`));
}

describe('客户公海', () => {
  it('claims from the pool, transfers to a colleague, and edits the pool rules', async () => {
    const admin = await staffToken(env.server.url, 'admin', ADMIN_PASSWORD);
    const staff = async (username: string, name: string) =>
      api<{ id: string }>(env.server.url, '/api/v1/staff', { token: admin, body: { username, name, password: PASSWORD, role: 'sales', department: '' } });
    await staff('salesli', '李销售');
    const wang = await staff('saleswang', '王销售');
    const customer = await api<{ id: string; inPool: boolean }>(env.server.url, '/api/v1/customers', { token: admin, body: { name: '杭州蓝鲸科技有限公司', region: '杭州', phone: '13800138000' } });
    expect(customer.inPool).toBe(true);

    const { page, context } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'salesli', PASSWORD, '/sales/pool');
    await page.locator('#pool-table').waitFor();
    await expect.poll(() => page.locator('#pool-table').innerText()).toContain('杭州蓝鲸科技有限公司');
    // Sales see the pool's phones masked.
    expect(await page.locator('#pool-table').innerText()).toContain('138****8000');
    await page.click(`#pool-claim-${customer.id}`);
    await page.click(`#pool-claim-confirm-${customer.id}`);
    await expect.poll(() => page.locator('#pool-table').innerText()).not.toContain('杭州蓝鲸科技有限公司');
    await expect.poll(() => page.locator('#pool-quota').innerText()).toContain('我的客户 1');

    // 客户: the owner column, then 转交 from the customer's 360 page.
    await page.goto(`${env.server.url}/admin/sales/customers`);
    await expect.poll(() => page.locator('#customer-table').innerText()).toContain('李销售');
    await page.locator('#customer-table .customer-name', { hasText: '杭州蓝鲸科技有限公司' }).click();
    await page.locator('#customer-ownership').waitFor();
    // 协作人 first: the colleague shares it…
    await page.click('#collaborators-open');
    await page.locator('.ant-select:has(#collaborators-select) .ant-select-selector').click();
    await page.locator('.ant-select-item-option', { hasText: '王销售' }).click();
    // A multiple select stays open: close its list first.
    await page.locator('.ant-modal-title', { hasText: '协作人' }).click();
    await page.click('#collaborators-submit');
    await expect.poll(() => page.locator('#collaborators-open').innerText()).toContain('1');
    // …then 转交 to that colleague.
    await page.click('#transfer-open');
    await page.locator('.ant-select:has(#transfer-to) .ant-select-selector').click();
    await page.locator('.ant-select-item-option', { hasText: '王销售' }).click();
    await page.fill('#transfer-reason', '区域调整');
    await page.click('#transfer-submit');
    // No longer hers: the 360 page goes back to the list, which forgets it.
    await page.locator('#customer-360').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('#customer-table').innerText()).not.toContain('杭州蓝鲸科技有限公司');
    const moved = await api<{ ownerId: string; collaboratorIds: string[] }>(env.server.url, `/api/v1/customers/${customer.id}`, { token: admin });
    expect(moved.ownerId).toBe(wang.id);
    // The new owner is no longer listed as a collaborator.
    expect(moved.collaboratorIds).toEqual([]);
    const history = await api<Array<{ kind: string; reason: string }>>(env.server.url, `/api/v1/customers/${customer.id}/ownership`, { token: admin });
    expect(history.map((event) => event.kind)).toEqual(['transfer', 'claim', 'create']);
    expect(errors).toEqual([]);
    await context.close();

    // 公海规则 (admin).
    const adminPage = await env.browser.newPage();
    await login(adminPage.page, 'admin', ADMIN_PASSWORD, '/system/pool-rules');
    const maxOwned = adminPage.page.locator('#pool-rules-defaults-maxOwned');
    await expect.poll(() => maxOwned.inputValue()).toBe('200');
    await maxOwned.fill('150');
    await adminPage.page.click('#pool-rules-save');
    await expect.poll(async () => (await api<{ defaults: { maxOwned: number } }>(env.server.url, '/api/v1/settings/pool', { token: admin })).defaults.maxOwned).toBe(150);
    await adminPage.context.close();
  });
});
