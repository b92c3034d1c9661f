// 报表 in Chromium: the reports a role may see, figures, charts and tables over a period and a
// department, the dispatch calendar as a grid, and 导出 Excel with the same figures.
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createStaff } from '../../server/src/modules/identity/staff.service.js';
import { createSalesPopulation } from '../../server/test/reports/sales-fixture.js';
import { createDepartments, createServicePopulation, number, type Departments } from '../../server/test/reports/service-fixture.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';

const env = useE2eEnvironment();
const PERIOD = 'from=2026-10-01&to=2026-10-07';

async function login(page: Page, username: string, password: string, target: string) {
  await page.goto(`${env.server.url}/admin/login?redirect=${encodeURIComponent(target)}`);
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForURL(/\/admin\/reports/);
}

const figure = (page: Page, key: string) => page.locator(`#report-figure-${key} .ant-statistic-content`).innerText();

describe('报表', () => {
  let departments: Departments;

  it('admin: service figures and charts over a period and a department, the calendar, the Excel export', async () => {
    departments = await createDepartments();
    await createServicePopulation(departments);
    const { page } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'admin', ADMIN_PASSWORD, `/reports?name=service-volume&${PERIOD}`);

    // Every report is listed for admin, service and sales.
    for (const name of ['service-volume', 'dispatch-calendar', 'lead-funnel', 'customer-stats']) await page.locator(`#report-${name}`).waitFor();
    await expect.poll(() => figure(page, 'total')).toBe('12');
    await expect.poll(() => figure(page, 'completionRate')).toBe('58.3%');
    await expect.poll(() => page.locator('#report-service-volume-by-product-line').innerText()).toContain('空调');
    // The chart is drawn (SVG, its legend as text).
    await expect.poll(() => page.locator('#report-service-volume-by-time-chart svg').count()).toBe(1);
    await expect.poll(() => page.locator('#report-service-volume-by-time-chart').innerText()).toContain('报修');

    // 西区 only.
    await page.locator('.ant-select:has(#report-department) .ant-select-selector').click();
    await page.locator('.ant-select-tree-title', { hasText: /^西区$/ }).click();
    await expect.poll(() => figure(page, 'total')).toBe('5');
    expect(page.url()).toContain(`department=${departments.west}`);

    // By week: two buckets.
    await page.locator('#report-granularity').getByText('按周').click();
    await expect.poll(() => page.locator('#report-service-volume-by-time').innerText()).toContain('2026-09-28周');

    // The dispatch calendar: 西区's orders per engineer and day.
    await page.click('#report-dispatch-calendar');
    await page.locator('#report-calendar').waitFor();
    await expect.poll(() => page.locator('#report-calendar').innerText()).toContain(number(8));
    const calendar = await page.locator('#report-calendar').innerText();
    expect(calendar).toContain('丙工程师');
    expect(calendar).not.toContain(number(1));

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#report-export').click()]);
    expect(download.suggestedFilename()).toBe('派工日历-2026-10-01-2026-10-07.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(await download.path());
    const sheet = book.getWorksheet('派工日历')!;
    expect(sheet.getRow(2).getCell(2).value).toBe(`${number(8)} 11:30（已完成）`);
    expect(errors).toEqual([]);
  });

  it('a salesperson sees the sales reports of their own records only', async () => {
    await createSalesPopulation(departments);
    await createStaff({ username: 'report-sales', name: '李业务', password: 'sales-pass-2026', role: 'sales', department: departments.east });
    const { page } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    await login(page, 'report-sales', 'sales-pass-2026', `/reports?${PERIOD}`);

    await page.locator('#report-lead-funnel').waitFor();
    const list = await page.locator('#report-list').innerText();
    expect(list).toContain('业务员业绩');
    expect(list).not.toContain('派工日历');
    expect(list).not.toContain('服务请求量');
    await expect.poll(() => page.locator('#reports-page').innerText()).toContain('仅统计您负责或协作的记录');
    // Nobody's leads are theirs.
    await expect.poll(() => figure(page, 'leads')).toBe('0');
    await page.click('#report-owner-performance');
    await expect.poll(() => page.locator('#report-owner-performance-by-owner').innerText()).toContain('李业务');
    expect(await page.locator('#report-owner-performance-by-owner').innerText()).not.toContain('赵业务');
    expect(errors).toEqual([]);
  });
});
