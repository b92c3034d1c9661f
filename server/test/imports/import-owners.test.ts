// Imports: the owners' caps (公海规则 最大客户数) — a group whose owner would pass their cap is
// rejected with its reason and counted; the others are imported.
import { expect, it } from 'vitest';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { adminToken, createCustomer, createStaffMember, unique, uniquePhone } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { excelRow, finished, importFile, upload } from './helpers.js';

let server: TestServer;
let admin: string;

useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
});

it('rejects the groups that would take their owner past the cap (超出该业务员可拥有的客户上限), counted in the report', async () => {
  const manager = await createStaffMember('manager', { department: 'dept-cap' });
  const seller = await createStaffMember('sales', { department: 'dept-cap' });
  const other = await createStaffMember('sales', { department: 'dept-cap' });
  const saved = await call(server.url, '/api/v1/settings/pool', {
    token: admin,
    method: 'PUT',
    body: { defaults: { maxOwned: 0, maxDaysWithoutFollowUp: 30, maxDaysWithoutDeal: 90, remindDaysBefore: 3 }, byRole: {}, byStaff: [{ staffId: seller.id, maxOwned: 3 }] },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  // The seller owns one already: two more fit.
  const owned = await createCustomer({ name: unique('已有客户'), department: 'dept-cap' });
  await Customer.updateOne({ _id: owned._id }, { $set: { ownerId: seller.id, ownerSince: new Date() } });
  const names = [unique('上限甲'), unique('上限乙'), unique('上限丙'), unique('上限丁'), unique('不限戊')];
  const started = await upload(server, manager.token, await importFile([
    { name: names[0], region: '宁波', owner: seller.doc.username, contactName: '王一', contactPhone: uniquePhone() },
    { name: names[0], contactName: '王二', contactPhone: uniquePhone() },
    { name: names[1], region: '宁波', owner: seller.doc.username },
    { name: names[2], region: '宁波', owner: seller.doc.username },
    { name: names[3], region: '宁波', owner: seller.doc.username },
    { name: names[4], region: '宁波', owner: other.doc.username },
  ]));
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const result = await finished(server, manager.token, started.body.id);
  expect(result.counts).toEqual({ customers: 3, attachedCustomers: 0, contacts: 2, devices: 0, rejectedRows: 2 });
  expect(result.rejections).toEqual([
    { row: excelRow(3), customerName: names[2], reasons: ['超出该业务员可拥有的客户上限（3 个）'] },
    { row: excelRow(4), customerName: names[3], reasons: ['超出该业务员可拥有的客户上限（3 个）'] },
  ]);
  expect(await Customer.countDocuments({ ownerId: seller.id })).toBe(3);
  expect(await Customer.exists({ name: names[2] })).toBeNull();
  expect(await Customer.findOne({ name: names[4] }).lean()).toMatchObject({ ownerId: other.id });
});

it('finds duplicates within the file by the duplicate scoring (forms of one company name, one phone), not only equal names', async () => {
  const phone = uniquePhone();
  const brand = unique('澜沧').replace(/[0-9a-z]/g, '').slice(0, 2) || '澜沧';
  const core = `${brand}${['青', '峰', '岚', '屿'][Date.now() % 4]}`;
  const rows = [
    { name: `杭州${core}科技有限公司`, region: '杭州', contactName: '甲', contactPhone: phone },
    { name: `${core}科技（杭州）有限公司`, region: '杭州' },
    { name: unique('另一家公司'), region: '杭州', contactName: '乙', contactPhone: phone },
    { name: unique('无关公司'), region: '杭州', contactName: '丙', contactPhone: uniquePhone() },
  ];
  const started = await upload(server, admin, await importFile(rows));
  expect(started.status).toBe(202);
  const result = await finished(server, admin, started.body.id);
  expect(result.counts).toMatchObject({ customers: 2, rejectedRows: 2 });
  expect(result.rejections).toEqual([
    { row: excelRow(1), customerName: rows[1]!.name, reasons: [`撞单：与本文件第 ${excelRow(0)} 行的客户 ${rows[0]!.name} 重复`] },
    { row: excelRow(2), customerName: rows[2]!.name, reasons: [`撞单：与本文件第 ${excelRow(0)} 行的客户 ${rows[0]!.name} 重复`] },
  ]);
});
