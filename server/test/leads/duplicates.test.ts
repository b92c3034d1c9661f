// 撞单: the check on create, on edit and on demand, against leads and customers (with their
// contacts), under the admin's rules — refuse vs warning mode, exact vs similar, columns shown —
// with contact details masked for records the caller may not see, and the keys kept in step.
import { defaultDuplicateSettings, type DuplicateSettings } from '@qiao/shared';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migrateDuplicateKeys } from '../../src/db/migrations/duplicate-keys.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { adminToken, createContact, createCustomer, createStaffMember } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((s) => void (server = s));

type Staff = Awaited<ReturnType<typeof createStaffMember>>;
let admin: string;
let alice: Staff;
let bob: Staff;
let customerId: string;

const putSettings = (settings: DuplicateSettings, token = admin) =>
  call(server.url, '/api/v1/settings/duplicates', { method: 'PUT', token, body: settings });
const createLead = (token: string, body: Record<string, unknown>, query = '') => call(server.url, `/api/v1/leads${query}`, { token, body });
const check = (token: string, body: Record<string, unknown>) => call(server.url, '/api/v1/duplicates/check', { token, body });

beforeAll(async () => {
  admin = await adminToken(server);
  alice = await createStaffMember('sales', { name: '张三' });
  bob = await createStaffMember('sales', { name: '李四' });
  const customer = await createCustomer({ name: '杭州蓝鲸科技有限公司' });
  customerId = String(customer._id);
  await Customer.updateOne({ _id: customer._id }, { $set: { ownerId: alice.id } });
  await createContact(customer, { name: '王经理', phone: '13800138000' });
});

beforeEach(async () => {
  expect((await putSettings(defaultDuplicateSettings)).status).toBe(200);
});

describe('refuse mode (the default)', () => {
  it('refuses a lead whose company matches a customer in another form, naming the owner, masking for others', async () => {
    const refused = await createLead(bob.token, { company: '蓝鲸科技（杭州）有限公司', name: '赵六', phone: '+86 139-0000-0001' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('LEAD_DUPLICATE');
    expect(refused.body.error.message).toBe('与已有客户撞单：杭州蓝鲸科技有限公司（负责人：张三）');
    const [match] = refused.body.error.data.matches;
    expect(match).toMatchObject({ kind: 'customer', id: customerId, company: '杭州蓝鲸科技有限公司', ownerId: alice.id, ownerName: '张三', fields: ['company'], masked: true });
    expect(match.score).toBe(1);
    expect(refused.body.error.data.allowSave).toBe(false);
    expect(await Lead.countDocuments({ name: '赵六' })).toBe(0);
  });

  it('matches a contact phone however typed, masked for another salesperson and plain for the owner', async () => {
    const byBob = await check(bob.token, { phone: '+86 138-0013-8000', company: '无关公司' });
    expect(byBob.status).toBe(200);
    expect(byBob.body.conflict).toBe(true);
    expect(byBob.body.matches[0]).toMatchObject({ kind: 'customer', name: '王经理', phone: '138****8000', fields: ['phone'], masked: true });
    const byAlice = await check(alice.token, { phone: '13800138000' });
    expect(byAlice.body.matches[0]).toMatchObject({ phone: '13800138000', masked: false });
  });

  it('lets near-misses through: another city, another trade, one digit off', async () => {
    for (const body of [
      { company: '宁波蓝鲸科技有限公司', name: '孙七', phone: '13800138001' },
      { company: '杭州蓝鲸贸易有限公司', name: '周八' },
    ]) {
      const created = await createLead(bob.token, body);
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body.warnings).toEqual([]);
      expect(created.body.lead).toMatchObject({ ownerId: bob.id, status: 'assigned', source: 'manual' });
    }
  });

  it('checks against leads too, and a lead is no duplicate of itself (excludeLeadId)', async () => {
    const own = await createLead(alice.token, { company: '西湖电子', name: '吴九', phone: '13900000009', email: 'wu@xihu.cn' });
    expect(own.status).toBe(201);
    const leadId = own.body.lead.id as string;
    const refused = await createLead(bob.token, { company: '某某', name: '郑十', email: 'WU@xihu.cn', phone: '139-0000-0009' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.data.matches[0]).toMatchObject({ kind: 'lead', id: leadId, ownerName: '张三', masked: true, phone: '139****0009' });
    // The email rule is not on by default: the phone matched.
    expect((await check(bob.token, { email: 'wu@xihu.cn' })).body.conflict).toBe(false);
    expect((await check(alice.token, { phone: '13900000009' })).body.matches[0]).toMatchObject({ id: leadId, masked: false, email: '' });
    expect((await check(alice.token, { phone: '13900000009', excludeLeadId: leadId })).body.conflict).toBe(false);
    expect((await check(alice.token, { company: '蓝鲸科技（杭州）有限公司' })).body.conflict).toBe(true);
    expect((await check(alice.token, { company: '蓝鲸科技（杭州）有限公司', excludeCustomerId: customerId })).body.conflict).toBe(false);
  });
});

describe('settings', () => {
  it('are read by sales, written by the admin only, validated', async () => {
    expect((await call(server.url, '/api/v1/settings/duplicates', { token: bob.token })).body).toEqual(defaultDuplicateSettings);
    expect((await putSettings({ ...defaultDuplicateSettings, allowSave: true }, bob.token)).status).toBe(403);
    const invalid = await putSettings({ ...defaultDuplicateSettings, rules: [] });
    expect(invalid.status).toBe(400);
    const engineer = await createStaffMember('engineer');
    expect((await call(server.url, '/api/v1/settings/duplicates', { token: engineer.token })).status).toBe(403);
  });

  it('warning mode saves a conflicting lead and answers the matches as warnings', async () => {
    await putSettings({ ...defaultDuplicateSettings, allowSave: true });
    const saved = await createLead(bob.token, { company: '蓝鲸科技', name: '钱十一' });
    expect(saved.status).toBe(201);
    // Bob's own 宁波蓝鲸科技 lead matches too (a name without a city is either); the customer is not his.
    expect(saved.body.warnings).toContainEqual(expect.objectContaining({ kind: 'customer', id: customerId, masked: true }));
    expect(await Lead.countDocuments({ name: '钱十一' })).toBe(1);
  });

  it('exact vs similar: a near name matches only under a low enough similarity threshold', async () => {
    const candidate = { company: '杭州蓝鲸湾科技有限公司' };
    await putSettings({ ...defaultDuplicateSettings, rules: [{ field: 'company', mode: 'similar', threshold: 0.6 }] });
    const similar = await check(bob.token, candidate);
    expect(similar.body.conflict).toBe(true);
    expect(similar.body.matches[0].score).toBeCloseTo(0.67, 2);
    await putSettings({ ...defaultDuplicateSettings, rules: [{ field: 'company', mode: 'similar', threshold: 0.85 }] });
    expect((await check(bob.token, candidate)).body.conflict).toBe(false);
    await putSettings({ ...defaultDuplicateSettings, rules: [{ field: 'company', mode: 'exact', threshold: 1 }] });
    expect((await check(bob.token, candidate)).body.conflict).toBe(false);
    expect((await check(bob.token, { company: '蓝鲸科技（杭州）有限公司' })).body.conflict).toBe(true);
    // Only the phone rule: the company no longer takes part.
    await putSettings({ ...defaultDuplicateSettings, rules: [{ field: 'phone', mode: 'exact', threshold: 1 }] });
    expect((await check(bob.token, { company: '杭州蓝鲸科技有限公司' })).body.conflict).toBe(false);
    // Names: on by rule.
    await putSettings({ ...defaultDuplicateSettings, rules: [{ field: 'name', mode: 'exact', threshold: 1 }] });
    expect((await check(bob.token, { name: '王经理' })).body.matches[0]).toMatchObject({ kind: 'customer', fields: ['name'] });
  });

  it('fills only the columns shown', async () => {
    await putSettings({ ...defaultDuplicateSettings, showFields: ['company', 'status'] });
    const [match] = (await check(alice.token, { phone: '13800138000' })).body.matches;
    expect(match).toMatchObject({ company: '杭州蓝鲸科技有限公司', status: 'owned', name: '', phone: '', ownerId: null, ownerName: null, createdAt: null });
  });
});

describe('edit', () => {
  it('re-checks only when a checked field changes; warning mode needs ?confirm=1', async () => {
    const created = await createLead(alice.token, { company: '滨江光电', name: '冯十二', phone: '13900000012' });
    const path = `/api/v1/leads/${created.body.lead.id}`;
    const patch = (body: Record<string, unknown>, query = '') => call(server.url, `${path}${query}`, { method: 'PATCH', token: alice.token, body });
    expect((await patch({ notes: '下周拜访', phone: '139 0000 0012' })).status).toBe(200);
    const refused = await patch({ phone: '13800138000' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.data).toMatchObject({ allowSave: false });
    await putSettings({ ...defaultDuplicateSettings, allowSave: true });
    const warned = await patch({ phone: '13800138000' });
    expect(warned.status).toBe(409);
    expect(warned.body.error.data.allowSave).toBe(true);
    const confirmed = await patch({ phone: '13800138000' }, '?confirm=1');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ phone: '13800138000', notes: '下周拜访' });
    expect(confirmed.body.warnings[0]).toMatchObject({ kind: 'customer', id: customerId });
    // Its keys followed the edit: the new phone now finds this lead too.
    const found = await check(alice.token, { phone: '13800138000' });
    expect(found.body.matches.map((m: { id: string }) => m.id)).toContain(created.body.lead.id);
  });
});

describe('concurrency', () => {
  it('of several salespeople saving the same new lead at once, one is saved and the others refused', async () => {
    const sellers = [alice, bob, await createStaffMember('sales'), await createStaffMember('sales')];
    const forms = ['钱塘江新材料有限公司', '钱塘江新材料（杭州）有限公司', '杭州钱塘江新材料', '钱塘江新材料有限公司'];
    const answers = await Promise.all(
      sellers.map((seller, n) => createLead(seller.token, { company: forms[n], name: `并发${n}`, phone: '+86 136 0000 7777' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body.error.code).toBe('LEAD_DUPLICATE');
    expect(await Lead.countDocuments({ phone: '13600007777' })).toBe(1);
  });
});

describe('key upkeep', () => {
  it('follows contact writes and is backfilled for records written before the keys existed', async () => {
    const customer = await createCustomer({ name: '绍兴黄酒集团' });
    expect((await check(admin, { phone: '13700001234' })).body.conflict).toBe(false);
    await createContact(customer, { name: '陈总', phone: '13700001234' });
    expect((await check(admin, { phone: '13700001234' })).body.matches[0]).toMatchObject({ kind: 'customer', id: String(customer._id) });

    const legacy = await Lead.create({ name: '老线索', company: '嘉兴老字号食品', phone: '13700005678', source: 'manual' });
    expect((await check(admin, { phone: '13700005678' })).body.conflict).toBe(false);
    // The server ran it at start on an empty database; `force` is what a search-key rebuild passes.
    const result = await migrateDuplicateKeys({ force: true });
    expect(result.ran).toBe(true);
    expect(result.records.leads).toBeGreaterThan(0);
    expect((await check(admin, { phone: '13700005678' })).body.matches[0]).toMatchObject({ kind: 'lead', id: String(legacy._id) });
    expect((await Lead.findById(legacy._id).lean())?.dupKeys).toContain('p:13700005678');
    expect((await migrateDuplicateKeys()).ran).toBe(false);
  });
});
