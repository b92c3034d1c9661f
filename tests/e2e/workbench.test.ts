// 工作台 in Chromium: a dispatcher of one department sees their department's counts (not the
// other department's) on the workbench cards and as menu badges; a card opens the filtered list.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { Feedback, NEVER_OVERDUE } from '../../server/src/modules/service/feedback.model.js';
import { FollowUp } from '../../server/src/modules/service/follow-up.model.js';
import { api, staffToken } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';

const env = useE2eEnvironment();
const DAY = 86_400_000;

/** A service request as submitting it leaves it (status, department, times), written directly. */
async function request(department: string, status: 'submitted' | 'completed', fields: { overdue?: boolean } = {}) {
  const now = Date.now();
  const requestedBy = new Date(fields.overdue ? now - DAY : now + 3 * DAY);
  await Feedback.collection.insertOne({
    _id: new mongoose.Types.ObjectId(),
    number: `FW-E2E-${randomUUID().slice(0, 8)}`,
    clientRequestId: randomUUID(),
    wechatUserId: 'e2e-workbench',
    customerId: new mongoose.Types.ObjectId().toHexString(),
    contactId: new mongoose.Types.ObjectId().toHexString(),
    type: 'repair',
    status,
    description: '空调不制冷',
    contactPhone: '13800000000',
    requestedBy,
    overdueAt: status === 'completed' ? NEVER_OVERDUE : requestedBy,
    region: '杭州',
    productLine: '空调',
    department,
    completedAt: status === 'completed' ? new Date(now - 1000) : null,
    createdAt: new Date(now - 2000),
    updatedAt: new Date(now - 2000),
  });
}

describe('工作台', () => {
  it('shows the dispatcher their department’s counts and menu badges, and a card opens the filtered list', async () => {
    const { url } = env.server;
    const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
    const east = (await api(url, '/api/v1/departments', { token: admin, body: { name: '杭州服务部', parentId: null } })).id as string;
    const west = (await api(url, '/api/v1/departments', { token: admin, body: { name: '宁波服务部', parentId: null } })).id as string;
    await api(url, '/api/v1/staff', {
      token: admin,
      body: { username: 'dispatcher-hz', name: '王调度', password: 'dispatch-pass-1', role: 'dispatcher', department: east },
    });
    // 杭州: 2 waiting (1 overdue), 1 completed today, 1 open follow-up. 宁波: 3 waiting, not theirs.
    await request(east, 'submitted');
    await request(east, 'submitted', { overdue: true });
    await request(east, 'completed');
    for (let i = 0; i < 3; i += 1) await request(west, 'submitted');
    await FollowUp.create({ _id: new mongoose.Types.ObjectId(), feedbackId: new mongoose.Types.ObjectId().toHexString(), department: east, status: 'open' });

    const { page, context } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${url}/admin/login`);
    await page.fill('#login-username', 'dispatcher-hz');
    await page.fill('#login-password', 'dispatch-pass-1');
    await page.click('#login-submit');
    await page.locator('#workbench').waitFor();

    const cardValue = async (key: string) => page.locator(`#workbench-card-${key}`).getAttribute('data-value');
    await expect.poll(() => cardValue('service-waiting')).toBe('2');
    expect(await cardValue('service-overdue')).toBe('1');
    expect(await cardValue('service-follow-ups')).toBe('1');
    expect(await cardValue('service-created-today')).toBe('3');
    expect(await cardValue('service-completed-today')).toBe('1');
    expect(await page.locator('#workbench-card-service-waiting').innerText()).toContain('待派工');

    // Menu badges: 服务 (the sub-menu's sum) and, opened, its pages.
    await expect.poll(() => page.locator('#menu-badge-area-service').getAttribute('data-count')).toBe('3');
    await page.locator('.ant-menu-submenu-title', { hasText: '服务' }).click();
    await expect.poll(() => page.locator('#menu-badge-service-requests').getAttribute('data-count')).toBe('2');
    expect(await page.locator('#menu-badge-service-follow-ups').getAttribute('data-count')).toBe('1');

    // The card opens the list with its filter: the same two requests.
    await page.click('#workbench-card-service-waiting');
    await page.waitForURL(/\/admin\/service\/requests\?status=submitted$/);
    await expect.poll(() => page.locator('.ant-table-tbody tr.ant-table-row').count()).toBe(2);

    // The 刷新 button reads again: a new request in 杭州 shows up.
    await request(east, 'submitted');
    await page.goBack();
    await page.locator('#workbench').waitFor();
    await page.click('#workbench-refresh');
    await expect.poll(() => cardValue('service-waiting')).toBe('3');
    expect(errors).toEqual([]);
    await context.close();
  });
});
