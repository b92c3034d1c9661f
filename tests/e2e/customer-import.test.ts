// 导入 on the customer page in Chromium: download the template, upload a filled-in file, follow the
// progress to the result (counts and the rejected rows with reasons), add a contact to the customer
// just imported by its code (已追加到现有客户), find the import in 导入记录.
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { collectPageErrors } from '../support/browser.js';
import { ADMIN_PASSWORD } from '../support/server.js';
import { useE2eEnvironment } from '../support/setup.js';

const env = useE2eEnvironment();

describe('customer import in the console', () => {
  it('downloads the template, imports a file and shows what was imported and what was not', async () => {
    const { page } = await env.browser.newPage();
    const errors = collectPageErrors(page);
    await page.goto(`${env.server.url}/admin/login?redirect=${encodeURIComponent('/sales/customers')}`);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', ADMIN_PASSWORD);
    await page.click('#login-submit');
    await page.waitForURL(/\/admin\/sales\/customers$/);

    await page.click('#customer-import');
    await page.locator('#import-modal').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#import-template')]);
    expect(download.suggestedFilename()).toBe('客户导入模板.xlsx');

    // The template filled in: the examples replaced by one good customer (two rows) and one bad row.
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('客户')!;
    sheet.spliceRows(3, sheet.rowCount - 2);
    sheet.addRow(['浏览器导入测试有限公司', 'WEBIMP01', '杭州', '', '', '', '', '', '周一', '13700137001']);
    sheet.addRow(['浏览器导入测试有限公司', 'WEBIMP01', '', '', '', '', '', '', '吴二', '13700137002']);
    sheet.addRow(['缺地区的客户', '', '', '', '', '', '', '', '郑三', '13700137003']);
    await page.locator('#import-upload input[type=file]').setInputFiles({
      name: '历史客户.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await book.xlsx.writeBuffer()),
    });

    await page.locator('#import-result').waitFor({ timeout: 60_000 });
    const counts = await page.locator('#import-counts').innerText();
    expect(counts).toMatch(/新建客户\s*1/);
    expect(counts).toMatch(/联系人\s*2/);
    expect(counts).toMatch(/未导入行\s*1/);
    await expect.poll(() => page.locator('#import-rejections').innerText()).toContain('请填写所在地区');
    await page.locator('#import-report').waitFor();

    // 继续导入: a file with the code of the customer just imported adds a contact to it (已追加).
    await page.click('#import-again');
    const more = new ExcelJS.Workbook();
    const moreSheet = more.addWorksheet('客户');
    moreSheet.addRow((sheet.getRow(2).values as ExcelJS.CellValue[]).slice(1));
    moreSheet.addRow(['浏览器导入测试有限公司', 'WEBIMP01', '杭州', '', '', '', '', '', '王五', '13700137004']);
    await page.locator('#import-upload input[type=file]').setInputFiles({
      name: '追加联系人.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await more.xlsx.writeBuffer()),
    });
    await page.locator('#import-attachments').waitFor({ timeout: 60_000 });
    expect(await page.locator('#import-counts').innerText()).toMatch(/追加到现有客户\s*1/);
    expect(await page.locator('#import-attachments').innerText()).toContain('已追加到现有客户 WEBIMP01 浏览器导入测试有限公司');
    await page.click('#import-close');
    await expect.poll(() => page.locator('#customer-table').innerText()).toContain('浏览器导入测试有限公司');

    await page.click('#customer-import-history');
    await expect.poll(() => page.locator('#import-history').innerText()).toContain('历史客户.xlsx');
    await page.locator('#import-history .import-open').first().click();
    await page.locator('#import-result').waitFor();
    expect(errors).toEqual([]);
  }, 120_000);
});
