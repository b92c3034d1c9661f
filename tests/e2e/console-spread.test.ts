// The console's spread pages in Chromium, on data made through the API: a campaign handed out to
// a salesperson (A), who shares it to customers B and C; B shares to D; D leaves an intent. The
// share tree shows that chain (lazily expanded, D found by search), the funnel shows the counts
// and exports a real .xlsx, the lead appears in 线索 with its share path and can be assigned.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { api, eventually, staffToken } from '../support/api.js';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';
import { watchCsp } from './csp.js';

const env = useE2eEnvironment();

/** A customer's contact named `contactName`, and a mini-program session verified as that contact. */
async function customerViewer(url: string, adminToken: string, who: { openid: string; phone: string; customerName: string; contactName: string }) {
  const customer = await api(url, '/api/v1/customers', { token: adminToken, body: { name: who.customerName, region: '杭州' } });
  await api(url, '/api/v1/contacts', { token: adminToken, body: { customerId: customer.id, name: who.contactName, phone: who.phone } });
  const { code } = await api(url, '/sandbox/mp/login-code', { body: { openid: who.openid } });
  const session = await api(url, '/api/v1/auth/mp-login', { body: { code } });
  await api(url, '/api/v1/me/verification/code', { token: session.token, body: { phone: who.phone } });
  const inbox = await api<{ items: Array<{ code: string }> }>(url, `/sandbox/sms?phone=${who.phone}`);
  await api(url, '/api/v1/me/verification', { token: session.token, body: { phone: who.phone, code: inbox.items.at(-1)!.code } });
  return session.token as string;
}

/** The values of every row of every sheet of an .xlsx file (opened with exceljs: a real workbook). */
async function sheetRows(file: string): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const rows: unknown[][] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1))));
  return rows;
}

async function view(url: string, campaignId: string, token: string, visitorId: string, s?: string): Promise<string> {
  const answer = await api<{ shareToken: string }>(url, '/api/v1/track/view', { token, body: { campaignId, visitorId, ...(s ? { s } : {}) } });
  return answer.shareToken;
}

describe('spread pages in the console', () => {
  it('share tree, search, funnel with Excel export, and the lead in 线索', async () => {
    const url = env.server.url;
    const admin = await staffToken(url, 'admin', ADMIN_PASSWORD);
    const staff = (username: string, name: string) =>
      api(url, '/api/v1/staff', { token: admin, body: { username, name, password: 'spread-pass-1', role: 'sales', department: '' } });
    await staff('spreada', '王一');
    const owner = await staff('spreadowner', '刘销售');

    const material = await api(url, '/api/v1/materials', {
      token: admin,
      body: { kind: 'article', title: '新品发布', author: '市场部', summary: '新一代空调', bodyHtml: '<p>欢迎了解新品</p>' },
    });
    // Nobody in the segment: the campaign reaches people only through the staff hand-out.
    const segment = await api(url, '/api/v1/segments', { token: admin, body: { name: '无人细分', rules: { tags: ['无此标签'] } } });
    const campaign = await api(url, '/api/v1/campaigns', {
      token: admin,
      body: { name: '新品推广', materialId: material.id, segmentId: segment.id, channels: ['staff'], intentForm: { enabled: true, products: ['空调'] } },
    });
    await api(url, `/api/v1/campaigns/${campaign.id}/start`, { token: admin, body: {} });

    const a = await staffToken(url, 'spreada', 'spread-pass-1');
    const b = await customerViewer(url, admin, { openid: 'oSpreadB0001', phone: '13900000011', customerName: '乙公司', contactName: '钱二' });
    const c = await customerViewer(url, admin, { openid: 'oSpreadC0001', phone: '13900000012', customerName: '丙公司', contactName: '孙三' });
    const d = await customerViewer(url, admin, { openid: 'oSpreadD0001', phone: '13900000013', customerName: '丁公司', contactName: '赵四' });
    const tokenA = await view(url, campaign.id, a, 'visitorA0001');
    const tokenB = await view(url, campaign.id, b, 'visitorB0001', tokenA);
    await view(url, campaign.id, c, 'visitorC0001', tokenA);
    const tokenD = await view(url, campaign.id, d, 'visitorD0001', tokenB);
    // With D's session, as the landing page sends it: the intent is D's own.
    await api(url, `/api/v1/campaigns/${campaign.id}/intents`, {
      token: d,
      body: { s: tokenD, visitorId: 'visitorD0001', name: '赵四', phone: '13900000013', company: '丁公司', products: ['空调'] },
    });
    const funnel = await eventually(
      () => api(url, `/api/v1/campaigns/${campaign.id}/funnel`, { token: admin }),
      (answer) => answer.leads === 1 && answer.uniqueVisitors >= 3,
    );
    expect(funnel).toMatchObject({ intents: 1, leads: 1 });

    const { page, context } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    const csp = await watchCsp(page);
    await page.goto(`${url}/admin/marketing/campaigns/${campaign.id}/share-tree`);
    await page.waitForURL(/\/admin\/login/);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', ADMIN_PASSWORD);
    await page.click('#login-submit');

    // The roots are drawn collapsed: A, with 王一's two shares behind a click.
    const chart = page.locator('#share-tree-chart');
    // Labels are SVG text (the chart is drawn with the SVG renderer).
    const chartText = async () => (await chart.locator('svg').textContent()) ?? '';
    await expect.poll(chartText).toContain('王一');
    expect(await chartText()).not.toContain('钱二');
    await expect.poll(() => page.locator('#share-tree-stats').innerText()).toMatch(/最大层级\s*2/);
    await chart.locator('text', { hasText: '王一' }).first().click();
    await expect.poll(chartText).toContain('钱二');
    expect(await chartText()).toContain('孙三');
    expect(await chartText()).not.toContain('赵四');
    await expect.poll(() => page.locator('#share-tree-selected-name').innerText()).toBe('王一');

    // Search: the path to D is expanded and D selected.
    await page.locator('#share-tree-search').fill('赵四');
    await page.locator('#share-tree-search').press('Enter');
    await expect.poll(chartText).toContain('赵四');
    await expect.poll(() => page.locator('#share-tree-path').innerText()).toBe('王一 → 钱二 → 赵四');
    expect(await page.locator('#share-tree-subtree').innerText()).toContain('线索');
    await expect.poll(() => page.locator('#campaign-spreaders').innerText()).toContain('王一');
    expect(await page.locator('#campaign-spreaders .spreader-name').first().innerText()).toBe('王一');

    // A period before anyone opened it: nobody in the tree.
    await page.goto(`${url}/admin/marketing/campaigns/${campaign.id}/share-tree?from=2020-01-01&to=2020-01-31`);
    await page.locator('.share-tree-empty').waitFor();
    expect(await page.locator('#share-tree-stats').innerText()).toMatch(/传播人数\s*0/);

    // Funnel: the figures the API gives, and an .xlsx that opens.
    await page.goto(`${url}/admin/marketing/campaigns/${campaign.id}/funnel`);
    const figures = page.locator('#funnel-figures');
    await expect.poll(() => figures.innerText()).toContain('独立访客');
    const values = await figures.locator('td.funnel-value').allInnerTexts();
    expect(values.map(Number)).toEqual([funnel.targeted, funnel.delivered, funnel.read, funnel.shared, funnel.uniqueVisitors, funnel.intents, funnel.leads]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#funnel-export').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const rows = await sheetRows(await download.path());
    expect(rows).toContainEqual(['独立访客', funnel.uniqueVisitors]);
    expect(rows.length).toBeGreaterThanOrEqual(7);

    // 效果分析: the campaign among those started in the last 30 days; 营销达人: A first overall.
    await page.goto(`${url}/admin/marketing/analysis`);
    await expect.poll(() => page.locator('#report-table').innerText()).toContain('新品推广');
    await page.locator('#report-chart svg').waitFor();
    const [report] = await Promise.all([page.waitForEvent('download'), page.locator('#report-export').click()]);
    expect(report.suggestedFilename()).toMatch(/\.xlsx$/);
    expect((await sheetRows(await report.path())).some((row) => row[0] === '新品推广')).toBe(true);
    await page.goto(`${url}/admin/marketing/spreaders`);
    await expect.poll(() => page.locator('#spreaders-table .spreader-name').first().innerText()).toBe('王一');

    // 线索: the lead with its campaign and share path, assigned to a salesperson.
    await page.goto(`${url}/admin/sales/leads`);
    const table = page.locator('#leads-table');
    await expect.poll(() => table.innerText()).toContain('丁公司');
    expect(await table.innerText()).toContain('新品推广');
    await table.locator('.lead-assign').first().click();
    await page.locator('.ant-select:has(#lead-assign-owner) .ant-select-selector').click();
    await page.locator('.ant-select-item-option', { hasText: '刘销售' }).click();
    await page.locator('#lead-assign-save').click();
    await expect.poll(() => table.locator('.lead-owner').first().innerText()).toBe('刘销售');
    await table.locator('.lead-open').first().click();
    await expect.poll(() => page.locator('.lead-share-path-text').innerText()).toBe('王一 → 钱二 → 赵四');
    expect(await page.locator('#lead-campaign').innerText()).toBe('新品推广');

    const leads = await api(url, `/api/v1/leads?campaignId=${campaign.id}`, { token: admin });
    expect(leads.items[0]).toMatchObject({ ownerId: owner.id, status: 'assigned' });
    expect(errors).toEqual([]);
    expect(await csp.violations()).toEqual([]);
    await context.close();
  });
});
