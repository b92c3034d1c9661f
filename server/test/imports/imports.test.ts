// Import of customers, contacts and devices: the template, refusals of wrong files, who may import
// and see what, and a small file with good and bad rows settled group by group.
import { describe, expect, it } from 'vitest';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { Contact } from '../../src/modules/customers/contact.model.js';
import { ProductArchive } from '../../src/modules/customers/product-archive.model.js';
import { checkDuplicates } from '../../src/modules/leads/duplicate.service.js';
import { ownershipHistory } from '../../src/modules/customers/ownership.service.js';
import { adminToken, createCustomerViaApi, createStaffMember, unique, uniquePhone } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { device, download, excelRow, finished, importFile, upload, type Row } from './helpers.js';

let server: TestServer;
let admin: string;

useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
});


describe('template', () => {
  it('is an xlsx with the 客户 sheet, the note row, Chinese headers and example rows; uploaded as is it has nothing to import', async () => {
    const file = await download(server, admin, '/api/v1/imports/template');
    expect(file.status).toBe(200);
    expect(file.type).toContain('spreadsheetml');
    expect(file.disposition).toContain("filename*=UTF-8''");
    const sheet = file.book!.getWorksheet('客户')!;
    expect(String(sheet.getCell('A1').value)).toContain('填写说明');
    const headers = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(headers).toEqual(expect.arrayContaining(['客户名称*', '客户编码', '所在地区*', '专管业务员(用户名)', '联系人手机', '序列号', '安装日期', '保修到期']));
    expect(String(sheet.getCell('A3').value)).toMatch(/^（示例）/);
    expect(sheet.getCell('E3').dataValidation?.type).toBe('list');

    const bytes = Buffer.from(await file.book!.xlsx.writeBuffer());
    const response = await upload(server, admin, bytes);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('IMPORT_FILE_EMPTY');
  });
});

describe('wrong files', () => {
  it('refuses what is not an xlsx, a zip that is no workbook, a sheet without the header and a missing file', async () => {
    const text = await upload(server, admin, Buffer.from('客户名称,所在地区\n蓝鲸,杭州\n'), 'customers.csv');
    expect(text.status).toBe(400);
    expect(text.body.error).toEqual({ code: 'IMPORT_FILE_INVALID', message: expect.stringContaining('Excel') });
    const zip = await upload(server, admin, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200, 7)]));
    expect(zip.status).toBe(400);
    expect(zip.body.error.code).toBe('IMPORT_FILE_INVALID');
    const ExcelJS = (await import('exceljs')).default;
    const other = new ExcelJS.Workbook();
    other.addWorksheet('Sheet1').addRow(['名字', '电话']);
    const mismatch = await upload(server, admin, Buffer.from(await other.xlsx.writeBuffer()));
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.code).toBe('IMPORT_TEMPLATE_MISMATCH');
    const response = await fetch(`${server.url}/api/v1/imports`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: new FormData() });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.code).toBe('IMPORT_FILE_MISSING');
  });

  it('refuses a file over 10 MB with 413', async () => {
    const response = await upload(server, admin, Buffer.alloc(10 * 1024 * 1024 + 10, 1));
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('IMPORT_FILE_TOO_LARGE');
  });
});

describe('who may import', () => {
  it('sales, managers and admin; not dispatchers, engineers, marketers or anonymous callers', async () => {
    const bytes = await importFile([{ name: unique('权限测试'), region: '杭州' }]);
    for (const role of ['dispatcher', 'engineer', 'marketer'] as const) {
      const { token } = await createStaffMember(role);
      expect((await upload(server, token, bytes)).status, role).toBe(403);
      expect((await call(server.url, '/api/v1/imports', { token })).status, role).toBe(403);
      expect((await call(server.url, '/api/v1/imports/template', { token })).status, role).toBe(403);
    }
    expect((await upload(server, undefined, bytes)).status).toBe(401);
  });

  it('a salesperson imports their own customers and sees only their own imports; a manager sees their department’s', async () => {
    const sales = await createStaffMember('sales', { department: 'dept-a' });
    const otherSales = await createStaffMember('sales', { department: 'dept-a' });
    const managerA = await createStaffMember('manager', { department: 'dept-a' });
    const managerB = await createStaffMember('manager', { department: 'dept-b' });
    const name = unique('业务员导入');
    const started = await upload(server, sales.token, await importFile([{ name, region: '杭州', contactName: '王强', contactPhone: uniquePhone() }, { name, owner: otherSales.doc.username, ...device() }]));
    expect(started.status).toBe(202);
    const result = await finished(server, sales.token, started.body.id);
    // The second row names someone else: the whole customer is refused.
    expect(result.counts).toEqual({ customers: 0, attachedCustomers: 0, contacts: 0, devices: 0, rejectedRows: 2 });
    expect(result.rejections[1].reasons[0]).toContain('业务员只能导入自己的客户');

    const own = await upload(server, sales.token, await importFile([{ name, region: '杭州', contactName: '王强', contactPhone: uniquePhone() }]));
    const done = await finished(server, sales.token, own.body.id);
    expect(done.counts.customers).toBe(1);
    const created = await Customer.findOne({ name }).lean();
    expect(created).toMatchObject({ ownerId: sales.id, department: 'dept-a', source: 'import', importId: own.body.id });
    // The schema's defaults are written too (the pool rules read them).
    expect(created).toMatchObject({ locked: false, collaboratorIds: [], lastFollowUpAt: null, leadId: null });
    expect(await Contact.findOne({ customerId: created!._id }).lean()).toMatchObject({ tags: [] });

    expect((await call(server.url, `/api/v1/imports/${own.body.id}`, { token: otherSales.token })).status).toBe(404);
    expect((await call(server.url, `/api/v1/imports/${own.body.id}`, { token: managerA.token })).status).toBe(200);
    expect((await call(server.url, `/api/v1/imports/${own.body.id}`, { token: managerB.token })).status).toBe(404);
    expect((await call(server.url, `/api/v1/imports/${own.body.id}/report`, { token: managerB.token })).status).toBe(404);
    const mine = await call(server.url, '/api/v1/imports', { token: otherSales.token });
    expect(mine.body.items.map((i: { id: string }) => i.id)).not.toContain(own.body.id);
    const history = await call(server.url, '/api/v1/imports', { token: sales.token });
    expect(history.body.items.map((i: { id: string }) => i.id)).toEqual([own.body.id, started.body.id]);
    expect(history.body.items[0]).toMatchObject({ status: 'done', createdByName: sales.doc.name, fileName: '客户导入.xlsx' });
  });

  it('a manager may name salespeople of their department only; without an owner the customer goes to the pool', async () => {
    const manager = await createStaffMember('manager', { department: 'dept-c' });
    const inside = await createStaffMember('sales', { department: 'dept-c' });
    const outside = await createStaffMember('sales', { department: 'dept-d' });
    // Names the duplicate scoring tells apart (a shared unique() tail would make them one company).
    const [a, b, c] = ['宁波东海机电有限公司', '温州北辰物流有限公司', '嘉兴西岭食品有限公司'];
    const started = await upload(server, manager.token, await importFile([
      { name: a, region: '宁波', owner: inside.doc.username },
      { name: b, region: '宁波', owner: outside.doc.username },
      { name: c, region: '宁波' },
    ]));
    const result = await finished(server, manager.token, started.body.id);
    expect(result.counts).toEqual({ customers: 2, attachedCustomers: 0, contacts: 0, devices: 0, rejectedRows: 1 });
    expect(result.rejections).toEqual([{ row: excelRow(1), customerName: b, reasons: [`专管业务员 ${outside.doc.username} 不在您管理的部门内`] }]);
    expect(await Customer.findOne({ name: a }).lean()).toMatchObject({ ownerId: inside.id, department: 'dept-c' });
    expect(await Customer.findOne({ name: c }).lean()).toMatchObject({ ownerId: null, department: 'dept-c' });
  });
});

describe('a small file', () => {
  it('imports good groups whole, refuses bad groups whole with reasons, and the report lists them', async () => {
    const good = unique('良好客户');
    const bad = unique('问题客户');
    const phone = uniquePhone();
    const serial = unique('SN');
    const rows: Row[] = [
      { name: good, region: '杭州', code: unique('G').toUpperCase(), contactName: '张伟', contactPhone: `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`, ...device(serial) },
      { name: good, contactName: '李娜', contactPhone: uniquePhone() },
      { name: bad, region: '杭州', contactName: '赵六', contactPhone: uniquePhone() },
      { name: bad, ...device(), installedAt: '2024-02-30' },
      { name: bad, ...device(serial) },
    ];
    const started = await upload(server, admin, await importFile(rows));
    expect(started.status).toBe(202);
    const result = await finished(server, admin, started.body.id);
    expect(result).toMatchObject({ status: 'done', totalRows: 5, doneRows: 5, counts: { customers: 1, contacts: 2, devices: 1, rejectedRows: 3 } });
    expect(result.rejections).toEqual([
      { row: excelRow(2), customerName: bad, reasons: [`同一客户的第 ${excelRow(3)}、${excelRow(4)} 行有错误，该客户整组未导入`] },
      { row: excelRow(3), customerName: bad, reasons: ['安装日期：日期不存在，请检查年月日'] },
      { row: excelRow(4), customerName: bad, reasons: [`序列号 ${serial} 与第 ${excelRow(0)} 行重复`] },
    ]);
    const customer = await Customer.findOne({ name: good }).lean();
    expect(await Contact.countDocuments({ customerId: customer!._id })).toBe(2);
    expect(await Contact.exists({ customerId: customer!._id, phone })).toBeTruthy();
    expect(await ProductArchive.countDocuments({ customerId: customer!._id })).toBe(1);
    expect(await Customer.exists({ name: bad })).toBeNull();
    // Found by the console's search like any customer.
    const search = await call(server.url, `/api/v1/customers?q=${encodeURIComponent(good.slice(0, 4))}`, { token: admin });
    expect(search.body.items.map((c: { name: string }) => c.name)).toContain(good);
    const byPhone = await call(server.url, `/api/v1/contacts?q=${phone.slice(-4)}`, { token: admin });
    expect(byPhone.body.items.map((c: { phone: string }) => c.phone)).toContain(phone);

    const report = await download(server, admin, `/api/v1/imports/${started.body.id}/report`);
    expect(report.status).toBe(200);
    const sheet = report.book!.worksheets[0]!;
    expect(sheet.rowCount).toBe(4);
    expect(sheet.getRow(3).getCell(1).value).toBe(excelRow(3));
    expect(String(sheet.getRow(3).getCell(2).value)).toContain('日期不存在');
  });
});

describe('duplicate check (撞单)', () => {
  it('refuses a customer that is already in the database outside the importer’s scope, naming it; what is imported is found by later checks and has its history entry', async () => {
    const existing = await createCustomerViaApi(server, admin, { name: '宁波海豚电器有限公司', region: '宁波' });
    const manager = await createStaffMember('manager', { department: 'dept-dup' });
    const rows: Row[] = [
      { name: '海豚电器（宁波）有限公司', region: '宁波', contactName: '钱七', contactPhone: uniquePhone() },
      { name: '青鸟星河机械有限公司', region: '宁波', contactName: '孙八', contactPhone: uniquePhone() },
    ];
    const started = await upload(server, manager.token, await importFile(rows));
    const result = await finished(server, manager.token, started.body.id);
    expect(result.counts).toEqual({ customers: 1, attachedCustomers: 0, contacts: 1, devices: 0, rejectedRows: 1 });
    expect(result.rejections).toEqual([{ row: excelRow(0), customerName: rows[0]!.name, reasons: [`与现有客户 ${existing.code} 宁波海豚电器有限公司 撞单，该客户不在您管理的部门内，不能向其追加联系人或设备`] }]);

    const imported = await Customer.findOne({ name: '青鸟星河机械有限公司' }).lean();
    expect(imported!.dupKeys.length).toBeGreaterThan(0);
    const viewer = { kind: 'staff' as const, staffId: manager.id, role: 'manager' as const, department: 'dept-dup', sessionId: '' };
    const check = await checkDuplicates({ company: '青鸟星河机械（宁波）有限公司' }, { viewer });
    expect(check.matches.map((m) => m.id)).toEqual([String(imported!._id)]);
    const history = await ownershipHistory(String(imported!._id));
    expect(history).toEqual([expect.objectContaining({ kind: 'import', toOwnerId: null, byStaffId: manager.id, department: 'dept-dup' })]);
  });
});

