// The sales loop in Chromium, as the people doing it would: a salesperson enters a lead and hits a
// duplicate (撞单) of the lead they already have, converts that other lead into a customer and opens
// the customer's 360 view; their manager transfers the customer to a colleague; the colleague leaves
// it alone long enough for the daily job to return it to the pool (run with a controlled clock);
// the first salesperson claims it back from 客户公海; and a dispatcher's workbench counts the
// requests waiting for them.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/src/logger.js';
import { runPoolSweep } from '../../server/src/modules/customers/pool.jobs.js';
import { Feedback, NEVER_OVERDUE } from '../../server/src/modules/service/feedback.model.js';
import { api, staffToken } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';
import { watchCsp } from './csp.js';

const env = useE2eEnvironment();
const PASSWORD = 'sales-loop-pass-1';
const DAY = 86_400_000;

async function login(page: Page, username: string, path: string) {
  await page.goto(`${env.server.url}/admin/login?redirect=${encodeURIComponent(path)}`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForURL(new RegExp(`/admin${path}$`));
}

/** A service request waiting for dispatch, as submitting one leaves it, written directly. */
async function waitingRequest(department: string, overdue: boolean) {
  const requestedBy = new Date(Date.now() + (overdue ? -DAY : 3 * DAY));
  await Feedback.collection.insertOne({
    _id: new mongoose.Types.ObjectId(),
    number: `FW-LOOP-${randomUUID().slice(0, 8)}`,
    clientRequestId: randomUUID(),
    wechatUserId: 'e2e-sales-loop',
    customerId: new mongoose.Types.ObjectId().toHexString(),
    contactId: new mongoose.Types.ObjectId().toHexString(),
    type: 'repair',
    status: 'submitted',
    description: '空调不制冷',
    contactPhone: '13800000000',
    requestedBy,
    overdueAt: overdue ? requestedBy : NEVER_OVERDUE,
    region: '杭州',
    productLine: '空调',
    department,
    completedAt: null,
    createdAt: new Date(Date.now() - 2000),
    updatedAt: new Date(Date.now() - 2000),
  });
}

describe('the sales loop', () => {
  it('lead → duplicate → convert → 360 → manager transfers → back to the pool → claimed; the dispatcher’s workbench counts', async () => {
    const url = env.server.url;
    const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
    const department = (await api(url, '/api/v1/departments', { token: admin, body: { name: '华东销售部', parentId: null } })).id as string;
    const staff = (username: string, name: string, role: string) =>
      api<{ id: string }>(url, '/api/v1/staff', { token: admin, body: { username, name, password: PASSWORD, role, department } });
    const qian = await staff('loop-qian', '钱销售', 'sales');
    const sun = await staff('loop-sun', '孙销售', 'sales');
    await staff('loop-zhou', '周经理', 'manager');
    await staff('loop-wang', '王调度', 'dispatcher');
    const qianToken = await staffToken(url, 'loop-qian', PASSWORD);
    // The lead 钱销售 already works (entered last week).
    const first = await api<{ lead: { id: string } }>(url, '/api/v1/leads', {
      token: qianToken,
      body: { company: '杭州蓝鲸科技有限公司', name: '周先生', phone: '13800138000', region: '杭州' },
    });

    const { page, context } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    const csp = await watchCsp(page);

    // — 钱销售 enters the same company under another form of its name: 撞单, the form says with what.
    await login(page, 'loop-qian', '/sales/leads');
    await page.click('#lead-create');
    await page.locator('#lead-form-modal').waitFor();
    await page.fill('#lead-form-company', '蓝鲸科技（杭州）有限公司');
    await page.fill('#lead-form-name', '吴总');
    await page.fill('#lead-form-phone', '+86 138-0013-8000');
    await page.click('#lead-form-submit');
    const conflicts = page.locator('#duplicate-conflicts');
    await expect.poll(() => conflicts.innerText()).toContain('杭州蓝鲸科技有限公司');
    // Their own lead: the phone is not masked for them.
    expect(await conflicts.innerText()).toContain('13800138000');
    await page.keyboard.press('Escape');
    await page.locator('#lead-form-modal').waitFor({ state: 'hidden' });
    expect((await api<{ total: number }>(url, '/api/v1/leads', { token: qianToken })).total).toBe(1);

    // — So they convert the lead they have into customer + contact + opportunity, and open the 360.
    const table = page.locator('#leads-table');
    await table.locator('.lead-open', { hasText: '杭州蓝鲸科技有限公司' }).click();
    await page.locator('#lead-convert').click();
    await expect.poll(() => page.locator('#lead-convert-modal #convert_customerName').inputValue()).toBe('杭州蓝鲸科技有限公司');
    await page.locator('#convert-submit').click();
    await expect.poll(() => page.locator('.lead-drawer .lead-status').first().getAttribute('data-status')).toBe('converted');
    await page.locator('#lead-open-customer').click();
    const view = page.locator('#customer-360');
    await view.waitFor();
    await expect.poll(() => page.locator('#customer-360-name').innerText()).toContain('杭州蓝鲸科技有限公司');
    await expect.poll(() => page.locator('#customer-360-owner').innerText()).toContain('钱销售');
    const customerId = await view.getAttribute('data-customer-id');
    expect(customerId).toBeTruthy();
    const converted = await api<{ status: string; customerId: string }>(url, `/api/v1/leads/${first.lead.id}`, { token: admin });
    expect(converted).toMatchObject({ status: 'converted', customerId });

    // — 周经理 transfers the customer to 孙销售 from its 360 page.
    const manager = (await env.browser.newPage()).page;
    const managerErrors = collectPageErrors(manager);
    await login(manager, 'loop-zhou', `/sales/customers/${customerId}`);
    await manager.locator('#customer-360').waitFor();
    await manager.click('#transfer-open');
    await manager.locator('.ant-select:has(#transfer-to) .ant-select-selector').click();
    await manager.locator('.ant-select-item-option', { hasText: '孙销售' }).click();
    await manager.fill('#transfer-reason', '区域调整');
    await manager.click('#transfer-submit');
    await expect.poll(async () => (await api<{ ownerId: string }>(url, `/api/v1/customers/${customerId}`, { token: admin })).ownerId).toBe(sun.id);
    await expect.poll(() => manager.locator('#customer-360-owner').innerText()).toContain('孙销售');

    // — 孙销售 never follows it up: 40 days on, the daily job returns it to the pool.
    const queued: unknown[] = [];
    const sweep = await runPoolSweep(
      { jobs: { now: async (_name, data) => void queued.push(data) }, logger: createLogger('silent'), reminderTemplateId: 'qiao-pool-return' },
      new Date(Date.now() + 40 * DAY),
    );
    expect(sweep.returned).toBe(1);
    const returned = await api<{ inPool: boolean; ownerId: string | null }>(url, `/api/v1/customers/${customerId}`, { token: admin });
    expect(returned).toMatchObject({ inPool: true, ownerId: null });

    // — 钱销售 finds it in 客户公海 (phone masked) and claims it.
    await page.goto(`${url}/admin/sales/pool`);
    const pool = page.locator('#pool-table');
    await expect.poll(() => pool.innerText()).toContain('杭州蓝鲸科技有限公司');
    await page.click(`#pool-claim-${customerId}`);
    await page.click(`#pool-claim-confirm-${customerId}`);
    await expect.poll(() => pool.innerText()).not.toContain('杭州蓝鲸科技有限公司');
    const claimed = await api<{ ownerId: string }>(url, `/api/v1/customers/${customerId}`, { token: admin });
    expect(claimed.ownerId).toBe(qian.id);
    const history = await api<Array<{ kind: string }>>(url, `/api/v1/customers/${customerId}/ownership`, { token: admin });
    // (Newest first by time: the return carries the controlled clock's date, 40 days ahead.)
    expect(history.map((event) => event.kind).sort()).toEqual(['claim', 'convert', 'return', 'transfer']);

    // — 王调度 starts the day: two requests wait for dispatch in their department, one of them overdue.
    await waitingRequest(department, false);
    await waitingRequest(department, true);
    const dispatcher = (await env.browser.newPage()).page;
    const dispatcherErrors = collectPageErrors(dispatcher);
    await login(dispatcher, 'loop-wang', '/');
    await dispatcher.locator('#workbench').waitFor();
    const card = (key: string) => dispatcher.locator(`#workbench-card-${key}`).getAttribute('data-value');
    await expect.poll(() => card('service-waiting')).toBe('2');
    expect(await card('service-overdue')).toBe('1');

    expect([...errors, ...managerErrors, ...dispatcherErrors]).toEqual([]);
    expect(await csp.violations()).toEqual([]);
    await context.close();
  });
});
