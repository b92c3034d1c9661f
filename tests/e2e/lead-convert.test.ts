// 线索转化, 关闭 and 商机 in the console, in Chromium: a salesperson converts their lead into a new
// customer with an opportunity (amount typed in 元), closes another lead with a reason and reopens
// it, and marks the opportunity won on the 商机 page.
import { describe, expect, it } from 'vitest';
import { Lead } from '../../server/src/modules/leads/lead.model.js';
import { api, staffToken } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';
import { watchCsp } from './csp.js';

const env = useE2eEnvironment();

describe('lead conversion and opportunities in the console', () => {
  it('converts, closes and reopens a lead; the opportunity is won on 商机', async () => {
    const url = env.server.url;
    const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
    const sales = await api(url, '/api/v1/staff', {
      token: admin,
      body: { username: 'convertsales', name: '钱销售', password: 'convert-pass-1', role: 'sales', department: '' },
    });
    // Leads as a campaign or an import would leave them, already assigned to the salesperson.
    const lead = await Lead.create({ company: '杭州蓝鲸科技有限公司', name: '周先生', phone: '13800138000', region: '杭州', products: ['中央空调'], source: 'manual', status: 'assigned', ownerId: sales.id });
    await Lead.create({ company: '温州鞋业', name: '吴女士', phone: '13700000002', source: 'manual', status: 'assigned', ownerId: sales.id });
    const second = await Lead.create({ company: '蓝鲸科技（杭州）有限公司', name: '郑工', phone: '13900000021', source: 'manual', status: 'assigned', ownerId: sales.id });

    const { page, context } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    const csp = await watchCsp(page);
    await page.goto(`${url}/admin/sales/leads`);
    await page.waitForURL(/\/admin\/login/);
    await page.fill('#login-username', 'convertsales');
    await page.fill('#login-password', 'convert-pass-1');
    await page.click('#login-submit');

    const table = page.locator('#leads-table');
    await expect.poll(() => table.innerText()).toContain('杭州蓝鲸科技有限公司');
    await table.locator('.lead-open', { hasText: '杭州蓝鲸科技有限公司' }).click();
    await page.locator('#lead-convert').click();
    const modal = page.locator('#lead-convert-modal');
    // Prefilled from the lead: the customer's name and region, the contact.
    await expect.poll(() => modal.locator('#convert_customerName').inputValue()).toBe('杭州蓝鲸科技有限公司');
    expect(await modal.locator('#convert_region').inputValue()).toBe('杭州');
    expect(await modal.locator('#convert_contactPhone').inputValue()).toBe('13800138000');
    await modal.locator('#convert-amount').fill('12345.67');
    await page.locator('#convert-submit').click();
    await expect.poll(() => page.locator('.lead-drawer .lead-status').first().getAttribute('data-status')).toBe('converted');
    await page.locator('#lead-open-customer').waitFor();

    const converted = await api(url, `/api/v1/leads/${lead._id}`, { token: admin });
    expect(converted).toMatchObject({ status: 'converted' });
    const customer = await api(url, `/api/v1/customers/${converted.customerId}`, { token: admin });
    expect(customer.name).toBe('杭州蓝鲸科技有限公司');
    const opportunity = await api(url, `/api/v1/opportunities/${converted.opportunityId}`, { token: admin });
    expect(opportunity).toMatchObject({ amount: 1_234_567, stage: 'open', ownerId: sales.id, customerName: '杭州蓝鲸科技有限公司' });

    // Another lead of the same company: the duplicate check offers the new customer to attach to.
    await page.locator('.lead-drawer .ant-drawer-close').click();
    await table.locator('.lead-open', { hasText: '蓝鲸科技（杭州）有限公司' }).click();
    await page.locator('#lead-convert').click();
    await page.locator(`#convert-customer-${converted.customerId}`).waitFor();
    await expect.poll(() => modal.locator('#convert-duplicates').innerText()).toContain('相似客户');
    await page.locator('#convert-submit').click();
    await expect.poll(() => page.locator('.lead-drawer .lead-status').first().getAttribute('data-status')).toBe('converted');
    const attached = await api(url, `/api/v1/leads/${second._id}`, { token: admin });
    expect(attached.customerId).toBe(converted.customerId);

    // Close the other lead: 其他 needs a note.
    await page.locator('.lead-drawer .ant-drawer-close').click();
    await table.locator('.lead-open', { hasText: '温州鞋业' }).click();
    await page.locator('#lead-close').click();
    await page.locator('.ant-select:has(#close-reason) .ant-select-selector').click();
    await page.locator('.ant-select-item-option', { hasText: '其他' }).click();
    await page.locator('#close-submit').click();
    await expect.poll(() => page.locator('#lead-close-modal').innerText()).toContain('请填写说明');
    await page.locator('#close-note').fill('公司已搬迁，无法联系');
    await page.locator('#close-submit').click();
    await expect.poll(() => page.locator('.lead-drawer .lead-status').first().getAttribute('data-status')).toBe('closed');
    await page.locator('#lead-reopen').click();
    await expect.poll(() => page.locator('.lead-drawer .lead-status').first().getAttribute('data-status')).toBe('assigned');

    // 商机: the opportunity with its amount in 元, won.
    await page.goto(`${url}/admin/sales/opportunities`);
    const opportunities = page.locator('#opportunities-table');
    await expect.poll(() => opportunities.innerText()).toContain('¥12,345.67');
    await page.locator(`#opportunity-won-${opportunity.id}`).click();
    await page.locator(`#opportunity-won-confirm-${opportunity.id}`).click();
    await expect.poll(() => opportunities.locator(`tr[data-row-key="${opportunity.id}"] .opportunity-stage`).getAttribute('data-stage')).toBe('won');
    expect((await api(url, `/api/v1/opportunities/${opportunity.id}`, { token: admin })).stage).toBe('won');

    expect(errors).toEqual([]);
    expect(await csp.violations()).toEqual([]);
    await context.close();
  });
});
