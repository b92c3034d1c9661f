// 部门管理 in Chromium: build a department tree (add, add child, rename, move), see a refused delete
// explained in Chinese, delete an empty department, and pick a department in the staff and customer forms.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { api, staffToken } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';

const env = useE2eEnvironment();

type Node = { id: string; name: string; parentId: string | null; children: Node[] };
const flatten = (nodes: Node[]): Node[] => nodes.flatMap((node) => [node, ...flatten(node.children)]);

const nodeOf = (page: Page, name: string) =>
  page.locator('#department-tree .department-node').filter({ has: page.locator('.department-name', { hasText: new RegExp(`^${name}$`) }) });

/** Opens an antd select by its input's id (a chosen value lies over the input). */
const openSelect = (page: Page, id: string) => page.locator(`.ant-select:has(#${id}) .ant-select-selector`).click();

async function saveName(page: Page, name: string) {
  await page.locator('#department-modal').waitFor();
  await page.fill('#department_name', name);
  await page.click('#department-save');
  await page.locator('#department-modal').waitFor({ state: 'hidden' });
  await nodeOf(page, name).waitFor();
}

describe('部门管理', () => {
  it('builds, renames, moves and deletes departments; the staff and customer forms pick from the tree', async () => {
    const { page, context } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    const token = await staffToken(env.server.url, 'admin', ADMIN_PASSWORD);
    const tree = async () => flatten((await api<{ items: Node[] }>(env.server.url, '/api/v1/departments', { token })).items);

    await page.goto(`${env.server.url}/admin/login?redirect=${encodeURIComponent('/system/departments')}`);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', ADMIN_PASSWORD);
    await page.click('#login-submit');
    await page.waitForURL(/\/admin\/system\/departments$/);
    await expect.poll(() => page.locator('#app-shell').innerText()).toContain('暂无部门');

    await page.click('#department-create');
    await saveName(page, '华东大区');
    await nodeOf(page, '华东大区').locator('.department-add-child').click();
    await saveName(page, '杭州服务部');
    await nodeOf(page, '华东大区').locator('.department-add-child').click();
    await saveName(page, '宁波服务部');
    await page.click('#department-create');
    await saveName(page, '华南大区');

    // A sibling with the same name is refused, with the reason in the form.
    await nodeOf(page, '华东大区').locator('.department-add-child').click();
    await page.fill('#department_name', '杭州服务部');
    await page.click('#department-save');
    await expect.poll(() => page.locator('#department-modal').innerText()).toContain('同一上级部门下已有名为“杭州服务部”的部门');
    await page.keyboard.press('Escape');
    await page.locator('#department-modal').waitFor({ state: 'hidden' });

    await nodeOf(page, '宁波服务部').locator('.department-rename').click();
    await saveName(page, '宁波一部');

    // Move 宁波一部 under 华南大区; its own subtree is not offered as a parent.
    await nodeOf(page, '宁波一部').locator('.department-move').click();
    await page.locator('#department-modal').waitFor();
    await openSelect(page, 'department-parent');
    const options = page.locator('.ant-select-tree-title');
    await options.filter({ hasText: /^华南大区$/ }).waitFor();
    expect(await options.filter({ hasText: /^宁波一部$/ }).count()).toBe(0);
    await options.filter({ hasText: /^华南大区$/ }).click();
    await page.click('#department-save');
    await page.locator('#department-modal').waitFor({ state: 'hidden' });
    await expect.poll(async () => {
      const all = await tree();
      return all.find((d) => d.name === '宁波一部')?.parentId === all.find((d) => d.name === '华南大区')?.id;
    }).toBe(true);

    // Deleting a department that still has a sub-department is refused and explained.
    await nodeOf(page, '华东大区').locator('.department-delete').click();
    await page.click('#department-delete-confirm');
    await expect.poll(() => page.locator('#app-shell .api-error').innerText()).toContain('“华东大区”下还有 1 个下级部门');
    expect(await nodeOf(page, '华东大区').count()).toBe(1);

    // An empty one goes, after confirmation.
    await nodeOf(page, '宁波一部').locator('.department-delete').click();
    await page.click('#department-delete-confirm');
    await nodeOf(page, '宁波一部').waitFor({ state: 'detached' });
    expect((await tree()).map((d) => d.name).sort()).toEqual(['华东大区', '华南大区', '杭州服务部'].sort());

    // The staff form chooses the department from the tree; the list shows its name.
    await page.goto(`${env.server.url}/admin/system/staff`);
    await page.click('#staff-create');
    await page.locator('#staff-modal').waitFor();
    await page.fill('#staff_username', 'hzdispatch');
    await page.fill('#staff_name', '杭州调度');
    await page.fill('#staff_password', 'dispatch-pass-1');
    await openSelect(page, 'staff-role');
    await page.locator('.ant-select-item-option', { hasText: '服务主管' }).click();
    await openSelect(page, 'staff-department');
    await page.locator('.ant-select-tree-title').filter({ hasText: /^杭州服务部$/ }).click();
    await page.click('#staff-save');
    await page.locator('#staff-modal').waitFor({ state: 'hidden' });
    await expect.poll(() => page.locator('#staff-table').innerText()).toContain('杭州服务部');
    const hangzhou = (await tree()).find((d) => d.name === '杭州服务部')!;
    const staff = await api<{ items: Array<{ username: string; department: string }> }>(env.server.url, '/api/v1/staff?q=hzdispatch', { token });
    expect(staff.items[0]).toMatchObject({ username: 'hzdispatch', department: hangzhou.id });

    // So does the customer form.
    await page.goto(`${env.server.url}/admin/sales/customers`);
    await page.click('#customer-create');
    await page.locator('#customer-modal').waitFor();
    await page.fill('#customer_name', '广州白云宾馆');
    await page.fill('#customer_region', '广州');
    await openSelect(page, 'customer-department');
    await page.locator('.ant-select-tree-title').filter({ hasText: /^华南大区$/ }).click();
    await page.click('#customer-save');
    await page.locator('#customer-modal').waitFor({ state: 'hidden' });
    // A new customer opens in its 360 view; the list shows its department.
    await page.locator('#customer-360').waitFor();
    await page.goto(`${env.server.url}/admin/sales/customers`);
    await expect.poll(() => page.locator('#customer-table').innerText()).toContain('华南大区');

    // Now 杭州服务部 has staff: deleting it is refused with the reason.
    await page.goto(`${env.server.url}/admin/system/departments`);
    await nodeOf(page, '杭州服务部').locator('.department-delete').click();
    await page.click('#department-delete-confirm');
    await expect.poll(() => page.locator('#app-shell .api-error').innerText()).toContain('1 名职员');

    expect(errors).toEqual([]);
    await context.close();
  });
});
