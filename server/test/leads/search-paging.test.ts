// Leads, opportunities and follow-up records at size: search by indexed keys (each form a person
// types), the keys following edits and backfilled for earlier data, key (cursor) paging that shows
// every row once across pages even with ties in the sort key, and a salesperson's scope (own and
// shared) holding in search and in paging.
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateLeadSearchKeys } from '../../src/db/migrations/lead-search-keys.js';
import { FollowRecord } from '../../src/modules/leads/follow-record.model.js';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { refreshLeadSearch } from '../../src/modules/leads/lead.search.js';
import { Opportunity } from '../../src/modules/leads/opportunity.model.js';
import { adminToken, createCustomer, createStaffMember } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((s) => void (server = s));

type Staff = Awaited<ReturnType<typeof createStaffMember>>;
let admin: string;
let alice: Staff;
let bob: Staff;
let aliceLead: string;
let bobLead: string;
let sharedLead: string;

const list = (token: string, query = '') => call(server.url, `/api/v1/leads${query}`, { token });
const ids = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id);
const q = (text: string) => `?q=${encodeURIComponent(text)}`;

async function createLead(token: string, body: Record<string, unknown>): Promise<string> {
  const answer = await call(server.url, '/api/v1/leads', { token, body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.lead.id as string;
}

beforeAll(async () => {
  admin = await adminToken(server);
  alice = await createStaffMember('sales', { name: '钱销售', department: '华东销售部' });
  bob = await createStaffMember('sales', { name: '孙销售', department: '华东销售部' });
  aliceLead = await createLead(alice.token, { company: '杭州蓝鲸科技有限公司', name: '周建国', phone: '+86 138-0013-8000', email: 'zhou@lanjing.cn' });
  bobLead = await createLead(bob.token, { company: '宁波星河贸易有限公司', name: '吴丽', phone: '0574-8765 4321', email: 'wuli@xinghe.com' });
  sharedLead = await createLead(bob.token, { company: '温州金山机械厂', name: '郑强', phone: '13900001111' });
  expect((await call(server.url, `/api/v1/leads/${sharedLead}/collaborators`, { method: 'PUT', token: bob.token, body: { staffIds: [alice.id] } })).status).toBe(200);
});

describe('lead search by indexed keys', () => {
  it('finds a lead by company in each form, contact, phone in any format or its last digits, and email', async () => {
    const finds = async (text: string) => ids((await list(admin, q(text))).body);
    expect(await finds('杭州蓝鲸科技有限公司')).toEqual([aliceLead]);
    // The forms the duplicate check takes as one company: place in brackets, no place, no legal form.
    expect(await finds('蓝鲸科技（杭州）有限公司')).toEqual([aliceLead]);
    expect(await finds('蓝鲸科技')).toEqual([aliceLead]);
    expect(await finds('蓝鲸')).toEqual([aliceLead]);
    expect(await finds('周建国')).toEqual([aliceLead]);
    expect(await finds('建国')).toEqual([aliceLead]);
    expect(await finds('13800138000')).toEqual([aliceLead]);
    expect(await finds('+86 138 0013 8000')).toEqual([aliceLead]);
    expect(await finds('138-0013')).toEqual([aliceLead]);
    expect(await finds('8000')).toEqual([aliceLead]);
    // A landline with or without its area code, and its last digits.
    expect(await finds('87654321')).toEqual([bobLead]);
    expect(await finds('0574-87654321')).toEqual([bobLead]);
    expect(await finds('zhou@lanjing')).toEqual([aliceLead]);
    expect(await finds('星河')).toEqual([bobLead]);
    expect(await finds('不存在的公司')).toEqual([]);
    expect((await list(admin, q('.*'))).body.total).toBe(0);
  });

  it('follows an edit: the old company is no longer found, the new one is', async () => {
    const lead = await createLead(alice.token, { company: '嘉兴长城电气有限公司', name: '冯敏', phone: '13700002222' });
    expect(ids((await list(admin, q('长城电气'))).body)).toEqual([lead]);
    expect((await call(server.url, `/api/v1/leads/${lead}`, { method: 'PATCH', token: alice.token, body: { company: '嘉兴华美食品有限公司' } })).status).toBe(200);
    expect(ids((await list(admin, q('长城电气'))).body)).toEqual([]);
    expect(ids((await list(admin, q('华美食品'))).body)).toEqual([lead]);
  });

  it('never shows a salesperson another\'s lead through search; shared ones are found', async () => {
    expect(ids((await list(alice.token, q('星河'))).body)).toEqual([]);
    expect(ids((await list(alice.token, q('87654321'))).body)).toEqual([]);
    expect(ids((await list(alice.token, q('吴丽'))).body)).toEqual([]);
    expect(ids((await list(alice.token, q('金山机械'))).body)).toEqual([sharedLead]);
    expect(ids((await list(bob.token, q('蓝鲸'))).body)).toEqual([]);
    expect(ids((await list(bob.token, q('金山机械'))).body)).toEqual([sharedLead]);
  });

  it('builds the keys of leads and opportunities written before they existed, once', async () => {
    const legacy = await Lead.create({ name: '老客户', company: '绍兴恒达纺织有限公司', phone: '13600003333', source: 'manual' });
    expect(ids((await list(admin, q('恒达纺织'))).body)).toEqual([]);
    const result = await migrateLeadSearchKeys({ force: true });
    expect(result.ran).toBe(true);
    expect(result.records.leads).toBeGreaterThan(3);
    expect(ids((await list(admin, q('恒达纺织'))).body)).toEqual([String(legacy._id)]);
    expect(ids((await list(admin, q('3333'))).body)).toEqual([String(legacy._id)]);
    // The server ran it at start; without force the marker says it is done. Running again changes nothing.
    expect((await migrateLeadSearchKeys()).ran).toBe(false);
    await migrateLeadSearchKeys({ force: true });
    expect(ids((await list(admin, q('恒达纺织'))).body)).toEqual([String(legacy._id)]);
  });
});

/** Every page of `path` following `nextCursor`, `pageSize` 4. */
async function allPages(token: string, path: string): Promise<{ ids: string[]; totals: number[] }> {
  const seen: string[] = [];
  const totals: number[] = [];
  const separator = path.includes('?') ? '&' : '?';
  let answer = await call(server.url, `${path}${separator}pageSize=4`, { token });
  for (let page = 2; ; page += 1) {
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    seen.push(...ids(answer.body));
    totals.push(answer.body.total);
    const cursor = answer.body.nextCursor as string | null;
    if (!cursor) break;
    expect(page).toBeLessThan(100);
    answer = await call(server.url, `${path}${separator}pageSize=4&page=${page}&cursor=${cursor}`, { token });
  }
  return { ids: seen, totals };
}

describe('key paging', () => {
  let carol: Staff;
  const carolsOwn: string[] = [];
  const sharedWithCarol: string[] = [];

  beforeAll(async () => {
    carol = await createStaffMember('sales', { name: '李销售', department: '华南销售部' });
    const dave = await createStaffMember('sales', { name: '赵销售', department: '华南销售部' });
    // Ties: groups of leads with one creation time, owned by carol, by dave and shared with carol.
    const docs = [];
    for (let i = 0; i < 23; i += 1) {
      const createdAt = new Date(Date.UTC(2026, 0, 1, 0, 0, Math.floor(i / 5)));
      const owner = i % 3 === 2 ? dave.id : carol.id;
      const _id = new mongoose.Types.ObjectId();
      docs.push({ _id, name: `并列${i}`, company: `并列公司${i}`, source: 'manual', status: 'assigned', ownerId: owner, department: '', createdAt, updatedAt: createdAt });
      if (owner === carol.id) carolsOwn.push(String(_id));
    }
    await Lead.insertMany(docs);
    // Written behind the services: their keys as an import builds them.
    await refreshLeadSearch(docs.map((doc) => String(doc._id)));
    // Four of dave's shared with carol (one of them also carol's own since: counted once).
    const daves = docs.filter((doc) => doc.ownerId === dave.id).slice(0, 4);
    for (const doc of daves) {
      const answer = await call(server.url, `/api/v1/leads/${String(doc._id)}/collaborators`, { method: 'PUT', token: admin, body: { staffIds: [carol.id] } });
      expect(answer.status).toBe(200);
      sharedWithCarol.push(String(doc._id));
    }
    await Lead.updateOne({ _id: daves[0]!._id }, { $set: { ownerId: carol.id } });
    carolsOwn.push(String(daves[0]!._id));
  });

  it('returns every row once across pages, with ties in the sort key, for admin (one query)', async () => {
    const all = await list(admin, '?pageSize=100');
    const { ids: paged, totals } = await allPages(admin, '/api/v1/leads');
    expect(paged).toEqual(ids(all.body));
    expect(new Set(paged).size).toBe(paged.length);
    expect(totals.every((total) => total === all.body.total)).toBe(true);
  });

  it('returns every row once for a salesperson (own and shared merged), never another\'s', async () => {
    const { ids: paged, totals } = await allPages(carol.token, '/api/v1/leads');
    const expected = new Set([...carolsOwn, ...sharedWithCarol]);
    expect(new Set(paged)).toEqual(expected);
    expect(paged.length).toBe(expected.size);
    expect(totals.every((total) => total === expected.size)).toBe(true);
    // Newest first, ties by id: the same order as one sorted list.
    const docs = await Lead.find({ _id: { $in: paged } }, { createdAt: 1 }).lean();
    const time = new Map(docs.map((doc) => [String(doc._id), doc.createdAt.getTime()]));
    const sorted = [...paged].sort((a, b) => time.get(b)! - time.get(a)! || (a < b ? 1 : -1));
    expect(paged).toEqual(sorted);
    // The old page numbers give the same rows.
    const byNumber: string[] = [];
    for (let page = 1; page <= Math.ceil(expected.size / 4); page += 1) byNumber.push(...ids((await list(carol.token, `?pageSize=4&page=${page}`)).body));
    expect(byNumber).toEqual(paged);
    for (const id of [bobLead, aliceLead]) expect(paged).not.toContain(id);
  });

  it('returns every row once for a manager (the department and the unassigned intake, merged)', async () => {
    const manager = await createStaffMember('manager', { department: '华东销售部' });
    const { ids: paged, totals } = await allPages(manager.token, '/api/v1/leads');
    expect(new Set(paged).size).toBe(paged.length);
    expect(totals.every((total) => total === paged.length)).toBe(true);
    // Alice's (华东) and the tie leads (no department) are in it; a 华南 one would not be.
    expect(paged).toContain(aliceLead);
    expect(paged).toEqual(expect.arrayContaining(carolsOwn.slice(0, 5)));
    const docs = await Lead.find({ _id: { $in: paged } }, { createdAt: 1 }).lean();
    const time = new Map(docs.map((doc) => [String(doc._id), doc.createdAt.getTime()]));
    expect(paged).toEqual([...paged].sort((a, b) => time.get(b)! - time.get(a)! || (a < b ? 1 : -1)));
  });

  it('pages a filtered list and a search by cursor too, and refuses a cursor it did not make', async () => {
    const { ids: filtered } = await allPages(carol.token, '/api/v1/leads?status=assigned');
    expect(new Set(filtered).size).toBe(filtered.length);
    expect(filtered.length).toBe(carolsOwn.length + sharedWithCarol.length - 1);
    const { ids: found } = await allPages(carol.token, `/api/v1/leads${q('并列公司')}`);
    expect(new Set(found)).toEqual(new Set(filtered));
    const bad = await list(carol.token, '?page=2&cursor=bm90LWEtY3Vyc29y');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('CURSOR_INVALID');
  });

  it('pages opportunities and follow-up records by cursor with ties', async () => {
    const customer = await createCustomer({ name: '湖州天远科技有限公司' });
    const at = new Date(Date.UTC(2026, 1, 1));
    const opportunities = Array.from({ length: 11 }, (_, i) => ({
      _id: new mongoose.Types.ObjectId(),
      name: `并列商机${i}`,
      customerId: String(customer._id),
      ownerId: carol.id,
      createdAt: at,
      updatedAt: at,
    }));
    await Opportunity.insertMany(opportunities);
    const { ids: pagedOpportunities } = await allPages(carol.token, '/api/v1/opportunities');
    expect([...pagedOpportunities].sort()).toEqual(opportunities.map((doc) => String(doc._id)).sort());
    const records = Array.from({ length: 9 }, (_, i) => ({
      _id: new mongoose.Types.ObjectId(),
      target: 'lead',
      leadId: carolsOwn[0],
      kind: 'phone',
      note: `记录${i}`,
      authorId: carol.id,
      latest: i === 8,
      createdAt: new Date(at.getTime() + Math.floor(i / 4) * 1000),
    }));
    await FollowRecord.insertMany(records);
    for (const path of [`/api/v1/follow-records?leadId=${carolsOwn[0]}`, '/api/v1/follow-records?mine=1']) {
      const { ids: paged } = await allPages(carol.token, path);
      expect([...paged].sort()).toEqual(records.map((doc) => String(doc._id)).sort());
    }
  });

  it('finds opportunities by name and by customer name', async () => {
    const customer = await createCustomer({ name: '丽水宏远机电有限公司' });
    const doc = await Opportunity.create({ name: '冷库改造项目', customerId: String(customer._id), ownerId: carol.id });
    const find = async (text: string) => ids((await call(server.url, `/api/v1/opportunities${q(text)}`, { token: carol.token })).body);
    expect(await find('冷库改造')).toEqual([String(doc._id)]);
    expect(await find('宏远机电')).toEqual([String(doc._id)]);
    // Another salesperson does not find it.
    expect(ids((await call(server.url, `/api/v1/opportunities${q('冷库改造')}`, { token: alice.token })).body)).toEqual([]);
  });
});
