// Customer statistics read day rollups of customers (report_customer_days), not every customer:
// the rollups follow every change — a region edited, an owner gained, a customer deleted — in the
// very next report, and two writers of a day at once store what one alone stores.
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { CustomerDay } from '../../src/modules/customers/report-days.model.js';
import { recomputeCustomerDay } from '../../src/modules/customers/report-days.js';
import { createStaffMember } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { createSalesPopulation } from './sales-fixture.js';
import { createDepartments, type Departments } from './service-fixture.js';

let server: TestServer;
let departments: Departments;
const tokens = { admin: '', manager: '' };

useTestServer(async (started) => {
  server = started;
  departments = await createDepartments();
  await createSalesPopulation(departments);
  tokens.admin = (await createStaffMember('admin', { department: null })).token;
  tokens.manager = (await createStaffMember('manager', { department: departments.east })).token;
});

const PERIOD = 'from=2026-10-01&to=2026-10-07';
async function stats(token: string) {
  const response = await call(server.url, `/api/v1/reports/customer-stats?${PERIOD}`, { token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}
const figures = (body: any) => Object.fromEntries(body.figures.map((f: any) => [f.key, f.value]));
const rows = (body: any, key: string) => body.tables.find((t: any) => t.key === key).rows;
const region = (body: any, name: string) => rows(body, 'by-region').find((r: any) => r.region === name);

describe('customer statistics from day rollups', () => {
  it('are stored per creation day, and the report reads them', async () => {
    expect(figures(await stats(tokens.admin))).toEqual({ total: 7, owned: 5, pool: 2, added: 4 });
    // The fixture's customers were created on two China days.
    expect((await CustomerDay.find({}).lean()).map((doc) => [doc._id, doc.total]).sort()).toEqual([
      ['2026-09-01', 3],
      ['2026-10-02', 4],
    ]);
  });

  it('a customer whose region changes moves to the new region in the next report (and back)', async () => {
    const before = await stats(tokens.admin);
    expect(region(before, '宁波')).toEqual({ region: '宁波', total: 2, owned: 1, pool: 1, added: 1 });
    expect(region(before, '温州')).toBeUndefined();
    const d = await Customer.findOne({ name: '客户d' }).lean();
    await Customer.updateOne({ _id: d!._id }, { $set: { region: '温州' } });
    const after = await stats(tokens.admin);
    expect(region(after, '宁波')).toEqual({ region: '宁波', total: 1, owned: 1, pool: 0, added: 0 });
    expect(region(after, '温州')).toEqual({ region: '温州', total: 1, owned: 0, pool: 1, added: 1 });
    expect(figures(after)).toEqual(figures(before));
    // The manager of 东区 sees it move too (d is theirs).
    expect(region(await stats(tokens.manager), '温州')).toEqual({ region: '温州', total: 1, owned: 0, pool: 1, added: 1 });
    await Customer.updateOne({ _id: d!._id }, { $set: { region: '宁波' } });
    expect(await stats(tokens.admin)).toEqual(before);
  });

  it('an owner gained and a customer deleted show in the next report', async () => {
    const before = await stats(tokens.admin);
    const f = await Customer.findOne({ name: '客户f' }).lean();
    await Customer.updateOne({ _id: f!._id }, { $set: { ownerId: 'someone', ownerSince: new Date() } });
    expect(figures(await stats(tokens.admin))).toEqual({ total: 7, owned: 6, pool: 1, added: 4 });
    await Customer.updateOne({ _id: f!._id }, { $set: { ownerId: null, ownerSince: null } });
    expect(await stats(tokens.admin)).toEqual(before);

    // A delete stamps nothing: the stored totals are checked against the customers counted.
    const copy = { ...f!, _id: new mongoose.Types.ObjectId(), code: `${f!.code}-copy`, region: '台州' };
    await Customer.insertMany([copy], { timestamps: false });
    expect(figures(await stats(tokens.admin)).total).toBe(8);
    await Customer.deleteOne({ _id: copy._id });
    expect(await stats(tokens.admin)).toEqual(before);
  });

  it('two writers of a day at once, with a change between them, store what one alone stores', async () => {
    const d = await Customer.findOne({ name: '客户d' }).lean();
    const stored = async () => {
      const doc = await CustomerDay.findById('2026-10-02').lean();
      return doc && { total: doc.total, cells: doc.cells };
    };
    for (const grade of ['B', 'C']) {
      await Promise.all([recomputeCustomerDay('2026-10-02'), Customer.updateOne({ _id: d!._id }, { $set: { grade } }), recomputeCustomerDay('2026-10-02'), stats(tokens.admin)]);
      const together = await stored();
      await recomputeCustomerDay('2026-10-02');
      expect(together).toEqual(await stored());
    }
    expect(rows(await stats(tokens.admin), 'by-grade').find((r: any) => r.grade === 'C')).toMatchObject({ total: 1 });
  });

  it('declares the indexes the rollups and the workbench read by', async () => {
    const keys = (await Customer.collection.indexes()).map((index) => JSON.stringify(index.key));
    expect(keys).toEqual(expect.arrayContaining([JSON.stringify({ updatedAt: 1 }), JSON.stringify({ department: 1, poolReminderAt: 1 }), JSON.stringify({ poolReminderAt: 1 })]));
  });
});
