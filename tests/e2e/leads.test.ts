// 线索 in Chromium: a salesperson creates a lead by hand, hits a duplicate (撞单) of a colleague's
// lead — shown in the form with the owner and the phone masked — and, once the admin switches the
// rules to warning mode (撞单规则), saves past it with 仍然保存; the drawer's 查重 finds the pair;
// the admin assigns both in bulk and shares one with a collaborator.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, staffToken } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';

const env = useE2eEnvironment();

async function login(page: Page, username: string, password: string, path: string) {
  await page.goto(`${env.server.url}/admin/login?redirect=${encodeURIComponent(path)}`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForURL(new RegExp(`/admin${path}$`));
}

async function fillLead(page: Page, lead: { company: string; name: string; phone: string }) {
  await page.click('#lead-create');
  await page.locator('#lead-form-modal').waitFor();
  await page.fill('#lead-form-company', lead.company);
  await page.fill('#lead-form-name', lead.name);
  await page.fill('#lead-form-phone', lead.phone);
  await page.click('#lead-form-submit');
}

describe('线索 and 撞单', () => {
  it('refuses a duplicate with the conflict list, then saves past it in warning mode', async () => {
    const url = env.server.url;
    const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
    const staff = (username: string, name: string) =>
      api(url, '/api/v1/staff', { token: admin, body: { username, name, password: 'leads-pass-1', role: 'sales', department: '' } });
    await staff('leadsales1', '钱销售');
    await staff('leadsales2', '孙销售');
    const colleague = await staffToken(url, 'leadsales2', 'leads-pass-1');
    await api(url, '/api/v1/leads', { token: colleague, body: { company: '杭州蓝鲸科技有限公司', name: '周经理', phone: '13800138000' } });

    const { page } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'leadsales1', 'leads-pass-1', '/sales/leads');

    // Another form of the same company and the phone as typed: refused, the colleague's lead listed.
    await fillLead(page, { company: '蓝鲸科技（杭州）有限公司', name: '吴总', phone: '+86 138-0013-8000' });
    const conflicts = page.locator('#duplicate-conflicts');
    await expect.poll(() => conflicts.innerText()).toContain('不能保存');
    const text = await conflicts.innerText();
    expect(text).toContain('杭州蓝鲸科技有限公司');
    expect(text).toContain('孙销售');
    expect(text).toContain('138****8000');
    expect(text).toContain('已打码');
    expect(text).toContain('100%');
    expect(await page.locator('#lead-form-confirm').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.locator('#lead-form-modal').waitFor({ state: 'hidden' });

    // The admin allows saving with a warning (撞单规则).
    const adminPage = (await env.browser.newPage()).page;
    await login(adminPage, 'admin', ADMIN_PASSWORD, '/system/duplicate-rules');
    await adminPage.locator('#duplicate-allow-save').waitFor();
    await expect.poll(() => adminPage.locator('#duplicate-rules-page').innerText()).toContain('禁止保存撞单的线索');
    await adminPage.click('#duplicate-allow-save');
    await adminPage.click('#duplicate-rules-save');
    await expect.poll(async () => (await api(url, '/api/v1/settings/duplicates', { token: admin })).allowSave).toBe(true);

    await fillLead(page, { company: '蓝鲸科技', name: '吴总', phone: '13900000001' });
    await expect.poll(() => conflicts.innerText()).toContain('仍然保存');
    await page.click('#lead-form-confirm');
    await page.locator('#lead-form-modal').waitFor({ state: 'hidden' });
    await expect.poll(() => page.locator('#leads-table').innerText()).toContain('蓝鲸科技');

    // The new lead's drawer opens; 查重 finds the colleague's lead.
    await page.click('#lead-check-duplicates');
    await expect.poll(() => page.locator('.lead-drawer #duplicate-conflicts').innerText()).toContain('杭州蓝鲸科技有限公司');

    // The admin hands both leads to 钱销售 at once (批量分配), then shares one with 孙销售 (协作人).
    await adminPage.goto(`${url}/admin/sales/leads`);
    const table = adminPage.locator('#leads-table');
    await expect.poll(() => table.locator('tbody tr.ant-table-row').count()).toBe(2);
    for (const box of await table.locator('tbody tr.ant-table-row .ant-checkbox-wrapper').all()) await box.click();
    await adminPage.click('#leads-bulk-assign');
    await adminPage.locator('.ant-select:has(#lead-assign-owner) .ant-select-selector').click();
    await adminPage.locator('.ant-select-item-option', { hasText: '钱销售' }).click();
    await adminPage.click('#lead-assign-save');
    await expect.poll(() => table.locator('.lead-owner').allInnerTexts()).toEqual(['钱销售', '钱销售']);
    await table.locator('.lead-open', { hasText: '杭州蓝鲸科技有限公司' }).click();
    await adminPage.click('#lead-collaborators-edit');
    await adminPage.locator('.ant-select:has(#lead-collaborators) .ant-select-selector').click();
    await adminPage.locator('.ant-select-item-option', { hasText: '孙销售' }).click();
    await adminPage.click('#lead-collaborators-save');
    await expect.poll(() => adminPage.locator('#lead-collaborator-names').innerText()).toBe('孙销售');
    // The colleague who created it still works it as a collaborator.
    const theirs = await api(url, '/api/v1/leads?mine=1', { token: colleague });
    expect(theirs.items.map((lead: { company: string; ownerName: string }) => [lead.company, lead.ownerName])).toEqual([['杭州蓝鲸科技有限公司', '钱销售']]);
    expect(errors).toEqual([]);
  });
});
