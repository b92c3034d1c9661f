// A file whose customers we already have (已追加到现有客户): their contacts and devices are added to
// the existing customer — found by its code, or by the duplicate check finding exactly one — and
// the customer itself is left as it was. Ambiguous matches, customers the importer may not edit,
// contacts the customer has and taken serial numbers are refused; a run taken over writes nothing
// twice; a roll back removes what was added and never the customer.
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SearchTerm } from '../../src/lib/search.js';
import { Contact } from '../../src/modules/customers/contact.model.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { ProductArchive } from '../../src/modules/customers/product-archive.model.js';
import { importFilePath } from '../../src/modules/imports/import.files.js';
import { Import, ImportAttachment } from '../../src/modules/imports/import.model.js';
import { derivedId, runImport } from '../../src/modules/imports/import.runner.js';
import { checkDuplicates } from '../../src/modules/leads/duplicate.service.js';
import { adminToken, createContact, createCustomer, createProduct, createStaffMember, unique, uniquePhone } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { device, download, excelRow, finished, importFile, upload, type Row } from './helpers.js';

let server: TestServer;
let admin: string;
useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
});


async function ownedBy(staffId: string | null, fields: { name: string; department: string }) {
  const customer = await createCustomer(fields);
  // Codes are stored upper-cased, as the service writes them.
  await Customer.updateOne({ _id: customer._id }, { $set: { code: customer.code.toUpperCase(), ownerId: staffId, ownerSince: staffId ? new Date() : null } });
  return (await Customer.findById(customer._id).lean())!;
}

async function importAs(token: string, rows: Row[]) {
  const started = await upload(server, token, await importFile(rows));
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  return { id: started.body.id as string, result: await finished(server, token, started.body.id) };
}

describe('by customer code', () => {
  it('adds a salesperson’s contacts and devices to their own customer, leaves its fields and owner, needs no room under the cap, and the 360 view shows them', async () => {
    const sales = await createStaffMember('sales', { department: 'dept-att1' });
    const mine = await ownedBy(sales.id, { name: '绍兴远山纺织有限公司', department: 'dept-att1' });
    // The cap is full: attaching does not change who owns what.
    const rules = await call(server.url, '/api/v1/settings/pool', {
      token: admin,
      method: 'PUT',
      body: { defaults: { maxOwned: 0, maxDaysWithoutFollowUp: 30, maxDaysWithoutDeal: 90, remindDaysBefore: 3 }, byRole: {}, byStaff: [{ staffId: sales.id, maxOwned: 1 }] },
    });
    expect(rules.status, JSON.stringify(rules.body)).toBe(200);
    const [p1, p2] = [uniquePhone(), uniquePhone()];
    const serial = unique('ATT');
    const { id, result } = await importAs(sales.token, [
      // Other customer columns in the file do not overwrite the customer's.
      { name: '远山纺织（旧名）', code: mine.code.toLowerCase(), region: '上海', grade: '重点客户', contactName: '冯一', contactPhone: p1, ...device(serial) },
      { name: '远山纺织（旧名）', code: mine.code, contactName: '冯二', contactPhone: p2 },
    ]);
    expect(result.status).toBe('done');
    expect(result.counts).toEqual({ customers: 0, attachedCustomers: 1, contacts: 2, devices: 1, rejectedRows: 0 });
    expect(result.attachments).toEqual([
      { row: excelRow(0), rows: [excelRow(0), excelRow(1)], customerName: '远山纺织（旧名）', customerId: String(mine._id), message: `已追加到现有客户 ${mine.code} 绍兴远山纺织有限公司（客户资料和专管业务员不变）`, contacts: 2, devices: 1 },
    ]);
    const after = await Customer.findById(mine._id).lean();
    expect(after).toMatchObject({ name: '绍兴远山纺织有限公司', region: mine.region, grade: mine.grade, ownerId: sales.id, department: 'dept-att1', importId: mine.importId ?? null });
    expect(await Customer.countDocuments({ importId: id })).toBe(0);
    // Written under the customer, in its department (the salesperson's lists find them).
    expect(await Contact.find({ customerId: mine._id }).sort({ phone: 1 }).lean()).toEqual(
      [p1, p2].sort().map((phone) => expect.objectContaining({ phone, department: 'dept-att1' })),
    );
    expect(await ProductArchive.findOne({ serialNumber: serial }).lean()).toMatchObject({ customerId: mine._id, department: 'dept-att1' });

    const view = await call(server.url, `/api/v1/customers/${mine._id}`, { token: sales.token });
    expect(view.status, JSON.stringify(view.body)).toBe(200);
    expect(view.body.contacts.total).toBe(2);
    expect(view.body.contacts.items.map((c: { phone: string }) => c.phone).sort()).toEqual([p1, p2].sort());
    expect(view.body.devices.items.map((d: { serialNumber: string }) => d.serialNumber)).toEqual([serial]);
    // Searchable, and the duplicate check knows the new contacts.
    const byPhone = await call(server.url, `/api/v1/contacts?q=${p2}`, { token: sales.token });
    expect(byPhone.body.items.map((c: { customerId: string }) => c.customerId)).toEqual([String(mine._id)]);
    const check = await checkDuplicates({ phone: p1 }, { viewer: { kind: 'staff', staffId: sales.id, role: 'sales', department: 'dept-att1', sessionId: '' } });
    expect(check.matches.filter((m) => m.kind === 'customer').map((m) => m.id)).toEqual([String(mine._id)]);

    // The report names where the rows went.
    const report = await download(server, sales.token, `/api/v1/imports/${id}/report`);
    const sheet = report.book!.getWorksheet('已追加到现有客户')!;
    expect(String(sheet.getRow(2).getCell(3).value)).toContain(`已追加到现有客户 ${mine.code}`);
  });

  it('refuses another salesperson’s customer and a pool customer for a salesperson, and a customer outside a manager’s departments', async () => {
    const sales = await createStaffMember('sales', { department: 'dept-att2' });
    const other = await createStaffMember('sales', { department: 'dept-att2' });
    const manager = await createStaffMember('manager', { department: 'dept-att3' });
    const theirs = await ownedBy(other.id, { name: '舟山海螺渔具有限公司', department: 'dept-att2' });
    const pool = await ownedBy(null, { name: '衢州石梁茶业有限公司', department: 'dept-att2' });
    const rows: Row[] = [
      { name: '海螺渔具', code: theirs.code, region: '舟山', contactName: '褚一', contactPhone: uniquePhone() },
      { name: '石梁茶业', code: pool.code, region: '衢州', ...device() },
    ];
    const { result } = await importAs(sales.token, rows);
    expect(result.counts).toEqual({ customers: 0, attachedCustomers: 0, contacts: 0, devices: 0, rejectedRows: 2 });
    expect(result.rejections).toEqual([
      { row: excelRow(0), customerName: '海螺渔具', reasons: [`客户编码 ${theirs.code} 对应的客户属于其他业务员，不能向其追加联系人或设备`] },
      { row: excelRow(1), customerName: '石梁茶业', reasons: [`客户编码 ${pool.code} 对应的客户在公海中，请先申领再导入`] },
    ]);
    const byManager = await importAs(manager.token, rows.slice(0, 1));
    expect(byManager.result.rejections[0].reasons).toEqual([`客户编码 ${theirs.code} 对应的客户不在您管理的部门内，不能向其追加联系人或设备`]);
    expect(await Contact.countDocuments({ customerId: { $in: [theirs._id, pool._id] } })).toBe(0);
    expect(await ProductArchive.countDocuments({ customerId: { $in: [theirs._id, pool._id] } })).toBe(0);
  });

  it('refuses a contact the customer already has and a serial number already stored: rejected rows, no duplicates', async () => {
    const manager = await createStaffMember('manager', { department: 'dept-att4' });
    const customer = await ownedBy(null, { name: '丽水青瓷工艺有限公司', department: 'dept-att4' });
    const known = await createContact(customer, { name: '卫经理' });
    const taken = await createProduct(customer);
    const { result } = await importAs(manager.token, [
      { name: '丽水青瓷', code: customer.code, region: '丽水', contactName: '卫经理', contactPhone: known.phone },
      { name: '丽水青瓷', code: customer.code, ...device(taken.serialNumber) },
      { name: '丽水青瓷', code: customer.code, contactName: '蒋新', contactPhone: uniquePhone() },
    ]);
    expect(result.counts).toEqual({ customers: 0, attachedCustomers: 0, contacts: 0, devices: 0, rejectedRows: 3 });
    expect(result.rejections).toEqual([
      { row: excelRow(0), customerName: '丽水青瓷', reasons: [`联系人手机 ${known.phone} 已是客户 ${customer.code} 的联系人`] },
      { row: excelRow(1), customerName: '丽水青瓷', reasons: [`序列号 ${taken.serialNumber} 已存在`] },
      { row: excelRow(2), customerName: '丽水青瓷', reasons: [`同一客户的第 ${excelRow(0)}、${excelRow(1)} 行有错误，该客户整组未导入`] },
    ]);
    expect(await Contact.countDocuments({ customerId: customer._id })).toBe(1);
    expect(await ProductArchive.countDocuments({ customerId: customer._id })).toBe(1);
  });
});

describe('by the duplicate check', () => {
  it('adds a group without a code to the one customer it matches, and refuses a group matching several, naming them', async () => {
    const manager = await createStaffMember('manager', { department: 'dept-att5' });
    const one = await ownedBy(null, { name: '宁波海鸥电器有限公司', department: 'dept-att5' });
    const twinA = await ownedBy(null, { name: '杭州白鹭机电有限公司', department: 'dept-att5' });
    const twinB = await ownedBy(null, { name: '白鹭机电（杭州）有限公司', department: 'dept-att5' });
    const phone = uniquePhone();
    const { result } = await importAs(manager.token, [
      { name: '海鸥电器（宁波）有限公司', region: '宁波', contactName: '沈一', contactPhone: phone, ...device() },
      { name: '白鹭机电有限公司', region: '杭州', contactName: '韩二', contactPhone: uniquePhone() },
      { name: '金华红枫五金有限公司', region: '金华', contactName: '杨三', contactPhone: uniquePhone() },
    ]);
    expect(result.counts).toEqual({ customers: 1, attachedCustomers: 1, contacts: 2, devices: 1, rejectedRows: 1 });
    expect(result.attachments.map((a: { customerId: string; message: string }) => [a.customerId, a.message])).toEqual([
      [String(one._id), `已追加到现有客户 ${one.code} 宁波海鸥电器有限公司（客户资料和专管业务员不变）`],
    ]);
    expect(result.rejections).toHaveLength(1);
    expect(result.rejections[0].row).toBe(excelRow(1));
    const [reason] = result.rejections[0].reasons;
    expect(reason).toMatch(/^撞单：与多个现有客户相似（.+），无法确定追加到哪一个，请填写客户编码$/);
    expect(reason).toContain(`${twinA.code} 杭州白鹭机电有限公司`);
    expect(reason).toContain(`${twinB.code} 白鹭机电（杭州）有限公司`);
    expect(await Contact.exists({ customerId: one._id, phone })).toBeTruthy();
    expect(await Customer.findById(one._id).lean()).toMatchObject({ name: '宁波海鸥电器有限公司', ownerId: null });
    expect(await Contact.countDocuments({ customerId: { $in: [twinA._id, twinB._id] } })).toBe(0);
  });
});

describe('only once, and rolled back whole', () => {
  async function attachedImport() {
    const manager = await createStaffMember('manager', { department: 'dept-att6' });
    const customer = await ownedBy(null, { name: '湖州竹海家具有限公司', department: 'dept-att6' });
    const before = await createContact(customer, { name: '原有联系人' });
    const beforeDevice = await createProduct(customer);
    const rows: Row[] = [
      { name: '竹海家具', code: customer.code, region: '湖州', contactName: '朱一', contactPhone: uniquePhone(), ...device() },
      { name: '竹海家具', code: customer.code, contactName: '朱二', contactPhone: uniquePhone(), ...device() },
      { name: '竹海家具', code: customer.code, contactName: '朱三', contactPhone: uniquePhone() },
      { name: unique('嘉善新建客户'), region: '嘉兴', contactName: '秦四', contactPhone: uniquePhone() },
    ];
    const bytes = await importFile(rows);
    const started = await upload(server, manager.token, bytes);
    const result = await finished(server, manager.token, started.body.id);
    expect(result.counts).toEqual({ customers: 1, attachedCustomers: 1, contacts: 4, devices: 2, rejectedRows: 0 });
    return { id: started.body.id as string, customer, before, beforeDevice, rows, bytes };
  }

  it('a run taken over mid-batch rolls back what the batch added to the existing customer and writes it again, once', async () => {
    const { id, customer, rows, bytes } = await attachedImport();
    // The state a crash leaves: the batch half written — one added contact and a device missing.
    await Contact.deleteOne({ _id: derivedId(id, 'contact', excelRow(1)) });
    await ProductArchive.deleteOne({ _id: derivedId(id, 'device', excelRow(0)) });
    await writeFile(importFilePath({ dataDir: server.config.dataDir }, id), bytes);
    await Import.updateOne({ _id: id }, { $set: { status: 'importing', doneGroups: 0, doneRows: 0, leaseUntil: null, counts: { customers: 0, attachedCustomers: 0, contacts: 0, devices: 0, rejectedRows: 0 } } });
    await runImport(id, { dataDir: server.config.dataDir });

    const after = await Import.findById(id).lean();
    expect(after).toMatchObject({ status: 'done', doneRows: rows.length });
    expect(after!.counts).toEqual({ customers: 1, attachedCustomers: 1, contacts: 4, devices: 2, rejectedRows: 0 });
    expect(await Contact.countDocuments({ customerId: customer._id })).toBe(4);
    for (const row of rows.slice(0, 3)) expect(await Contact.countDocuments({ phone: row.contactPhone })).toBe(1);
    expect(await ProductArchive.countDocuments({ customerId: customer._id })).toBe(3);
    expect(await ImportAttachment.countDocuments({ importId: id })).toBe(1);
    expect(await SearchTerm.countDocuments({ ref: String(derivedId(id, 'contact', excelRow(1))) })).toBeGreaterThan(0);
    // Done is done: once more changes nothing.
    await runImport(id, { dataDir: server.config.dataDir });
    expect(await Contact.countDocuments({ customerId: customer._id })).toBe(4);
  });

  it('an import that fails as a whole removes the contacts and devices it added, never the existing customer or what it had', async () => {
    const { id, customer, before, beforeDevice, rows } = await attachedImport();
    expect((await checkDuplicates({ phone: rows[0]!.contactPhone! }, { viewer: { kind: 'staff', staffId: 'x', role: 'admin', department: null, sessionId: '' } })).matches.map((m) => m.id)).toContain(String(customer._id));
    // Taken up again without its file (lost): the import fails and everything of it goes.
    await Import.updateOne({ _id: id }, { $set: { status: 'importing', leaseUntil: null } });
    await runImport(id, { dataDir: server.config.dataDir });
    expect(await Import.findById(id).lean()).toMatchObject({ status: 'failed', error: '导入文件已丢失，请重新上传' });
    expect(await Customer.findById(customer._id).lean()).toMatchObject({ name: '湖州竹海家具有限公司', code: customer.code });
    expect((await Contact.find({ customerId: customer._id }).lean()).map((c) => String(c._id))).toEqual([String(before._id)]);
    expect((await ProductArchive.find({ customerId: customer._id }).lean()).map((d) => String(d._id))).toEqual([String(beforeDevice._id)]);
    expect(await Customer.countDocuments({ importId: id })).toBe(0);
    expect(await ImportAttachment.countDocuments({ importId: id })).toBe(0);
    expect(await SearchTerm.countDocuments({ ref: String(derivedId(id, 'contact', excelRow(0))) })).toBe(0);
    // Its duplicate keys follow: a removed contact's phone no longer finds the customer.
    const viewer = { kind: 'staff' as const, staffId: 'x', role: 'admin' as const, department: null, sessionId: '' };
    expect((await checkDuplicates({ phone: rows[0]!.contactPhone! }, { viewer })).matches.map((m) => m.id)).not.toContain(String(customer._id));
    const detail = await call(server.url, `/api/v1/imports/${id}`, { token: admin });
    expect(detail.body.attachments).toEqual([]);
  });
});
