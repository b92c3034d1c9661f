// The public pool (客户公海) through the API on the real database: who owns a new customer, what
// sales see, claims (cap, 20 parallel claimers → one winner, one person's parallel claims never
// past the cap), release, transfer, bulk reassignment, lock, history and the permission matrix.
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { setCustomerCollaborators } from '../../src/modules/customers/ownership.service.js';
import { assignCustomerOwner } from '../../src/modules/customers/pool.service.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { adminToken, createContact, createCustomer, createStaffMember, unique } from '../helpers/factories.js';

let server: TestServer;
let admin: string;

useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
});

const api = (path: string, token: string, options: { method?: string; body?: unknown } = {}) => call(server.url, path, { token, ...options });

type Staff = Awaited<ReturnType<typeof createStaffMember>>;
const sales = (department = '销售一部') => createStaffMember('sales', { department });

/** A pool customer (no owner), as earlier data and returned customers are. */
async function poolCustomer(fields: { name?: string; region?: string; department?: string } = {}) {
  const doc = await createCustomer({ name: fields.name ?? unique('公海客户'), region: fields.region ?? '杭州', department: fields.department ?? '销售一部' });
  await Customer.updateOne({ _id: doc._id }, { $set: { phone: '13800138000' } });
  return String(doc._id);
}

async function setRules(rules: unknown) {
  const saved = await api('/api/v1/settings/pool', admin, { method: 'PUT', body: rules });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
}

const defaults = { maxOwned: 0, maxDaysWithoutFollowUp: 30, maxDaysWithoutDeal: 90, remindDaysBefore: 3 };
const claim = (id: string, who: Staff) => api(`/api/v1/customers/${id}/claim`, who.token, { method: 'POST' });
const history = async (id: string) => (await api(`/api/v1/customers/${id}/ownership`, admin)).body as Array<{ kind: string; toOwnerId: string | null; fromOwnerId: string | null; byStaffId: string | null; reason: string; toOwnerName: string | null }>;

describe('owners of new customers', () => {
  it('a salesperson owns what they create; managers name an owner or leave it in the pool', async () => {
    const seller = await sales('销售三部');
    const created = await api('/api/v1/customers', seller.token, { body: { name: unique('新客户'), region: '上海' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ownerId: seller.id, inPool: false, locked: false, department: '销售三部', collaboratorIds: [] });
    expect(created.body.ownerName).toBe(seller.doc.name);
    expect(Date.parse(created.body.ownerSince)).toBeGreaterThan(0);
    expect(await history(created.body.id)).toMatchObject([{ kind: 'create', fromOwnerId: null, toOwnerId: seller.id, byStaffId: seller.id }]);

    const manager = await createStaffMember('manager', { department: '销售三部' });
    const named = await api('/api/v1/customers', manager.token, { body: { name: unique('指定客户'), region: '上海', ownerId: seller.id } });
    expect(named.body).toMatchObject({ ownerId: seller.id, department: '销售三部' });
    const pooled = await api('/api/v1/customers', manager.token, { body: { name: unique('公海新客户'), region: '上海' } });
    expect(pooled.body).toMatchObject({ ownerId: null, inPool: true });
    // Owners are active sales or managers, in the manager's departments.
    const engineer = await createStaffMember('engineer', { department: '销售三部' });
    expect((await api('/api/v1/customers', manager.token, { body: { name: 'x', region: 'y', ownerId: engineer.id } })).body.error.code).toBe('OWNER_INVALID');
    const elsewhere = await sales('销售九部');
    expect((await api('/api/v1/customers', manager.token, { body: { name: 'x', region: 'y', ownerId: elsewhere.id } })).body.error.code).toBe('OWNER_OUT_OF_SCOPE');
  });
});

describe('owners given by other modules', () => {
  it('a converted lead or an imported row gets its owner once, with the owner’s department', async () => {
    const seller = await sales(unique('转化部'));
    const id = await poolCustomer();
    const key = `convert:${unique('lead')}`;
    await assignCustomerOwner(id, seller.id, { kind: 'convert', byStaffId: seller.id, reason: '线索转化', key });
    await assignCustomerOwner(id, seller.id, { kind: 'convert', byStaffId: seller.id, reason: '线索转化', key });
    expect(await Customer.findById(id).lean()).toMatchObject({ ownerId: seller.id, department: seller.doc.department });
    expect(await history(id)).toMatchObject([{ kind: 'convert', toOwnerId: seller.id, reason: '线索转化' }]);
    const engineer = await createStaffMember('engineer');
    await expect(assignCustomerOwner(id, engineer.id, { kind: 'import', byStaffId: null })).rejects.toMatchObject({ code: 'OWNER_INVALID' });
  });
});

describe('what sales see', () => {
  it('their own and shared customers (with contacts); the pool only through /pool, phones masked', async () => {
    const [a, b] = [await sales(), await sales()];
    const mine = (await api('/api/v1/customers', a.token, { body: { name: unique('甲的客户'), region: '杭州', phone: '13900001111' } })).body;
    await createContact({ _id: new mongoose.Types.ObjectId(mine.id) }, { name: '甲的联系人' });
    const pooled = await poolCustomer();

    expect((await api(`/api/v1/customers/${mine.id}`, b.token)).status).toBe(404);
    const listB = await api('/api/v1/customers?pageSize=100', b.token);
    expect(listB.body.items.map((c: { id: string }) => c.id)).not.toContain(mine.id);
    expect(listB.body.items.map((c: { id: string }) => c.id)).not.toContain(pooled);
    expect((await api(`/api/v1/contacts?customerId=${mine.id}`, b.token)).body.total).toBe(0);
    expect((await api('/api/v1/contacts?pageSize=100', b.token)).body.items.map((c: { customerId: string }) => c.customerId)).not.toContain(mine.id);

    const listA = await api(`/api/v1/customers?mine=1&q=${encodeURIComponent(mine.name)}`, a.token);
    expect(listA.body.items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    expect((await api('/api/v1/contacts?pageSize=100', a.token)).body.items.map((c: { customerId: string }) => c.customerId)).toContain(mine.id);

    // Shared with b (协作): b sees it, in the list, by search and its contacts.
    const shared = await api(`/api/v1/customers/${mine.id}/collaborators`, a.token, { method: 'PUT', body: { staffIds: [b.id] } });
    expect(shared.body).toMatchObject({ collaboratorIds: [b.id] });
    expect((await api(`/api/v1/customers/${mine.id}`, b.token)).status).toBe(200);
    // A collaborator does not decide who else shares it; nor may an engineer be one.
    expect((await api(`/api/v1/customers/${mine.id}/collaborators`, b.token, { method: 'PUT', body: { staffIds: [] } })).body.error.code).toBe('CUSTOMER_OWNER_ONLY');
    const engineer = await createStaffMember('engineer');
    expect((await api(`/api/v1/customers/${mine.id}/collaborators`, a.token, { method: 'PUT', body: { staffIds: [engineer.id] } })).body.error.code).toBe('OWNER_INVALID');
    expect((await api(`/api/v1/customers?q=${encodeURIComponent(mine.name)}`, b.token)).body.items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    expect((await api(`/api/v1/contacts?customerId=${mine.id}`, b.token)).body.total).toBe(1);
    // …but a search never reaches past what b sees.
    expect((await api('/api/v1/customers?q=公海客户', b.token)).body.total).toBe(0);
    await api(`/api/v1/customers/${mine.id}/collaborators`, a.token, { method: 'PUT', body: { staffIds: [] } });
    expect((await api(`/api/v1/customers/${mine.id}`, b.token)).status).toBe(404);

    // The pool: every salesperson sees it, phones masked; a pool customer opens masked too.
    const pool = await api(`/api/v1/pool?q=${encodeURIComponent('公海客户')}&pageSize=100`, b.token);
    expect(pool.status).toBe(200);
    const row = pool.body.items.find((c: { id: string }) => c.id === pooled);
    expect(row).toMatchObject({ phone: '138****8000' });
    expect((await api(`/api/v1/customers/${pooled}`, b.token)).body).toMatchObject({ id: pooled, inPool: true, phone: '138****8000' });
    const asAdmin = await api(`/api/v1/pool?q=${encodeURIComponent('公海客户')}&pageSize=100`, admin);
    expect(asAdmin.body.items.find((c: { id: string }) => c.id === pooled)).toMatchObject({ phone: '13800138000' });
    // Filters: region and industry; owned customers are never in the pool.
    expect((await api(`/api/v1/pool?region=${encodeURIComponent('无此地区')}`, b.token)).body.total).toBe(0);
    expect((await api(`/api/v1/pool?pageSize=100&q=${encodeURIComponent(mine.name)}`, admin)).body.total).toBe(0);
  });

  it('managers and dispatchers keep their department scope; managers filter by owner and pool', async () => {
    const department = unique('销售部');
    const seller = await sales(department);
    const owned = (await api('/api/v1/customers', seller.token, { body: { name: unique('部门客户'), region: '杭州' } })).body;
    const pooled = await poolCustomer({ department });
    const manager = await createStaffMember('manager', { department });
    const dispatcher = await createStaffMember('dispatcher', { department });
    const ids = async (token: string, query = '') => (await api(`/api/v1/customers?pageSize=100${query}`, token)).body.items.map((c: { id: string }) => c.id);
    expect(await ids(manager.token)).toEqual(expect.arrayContaining([owned.id, pooled]));
    expect(await ids(dispatcher.token)).toEqual(expect.arrayContaining([owned.id, pooled]));
    expect(await ids(manager.token, `&ownerId=${seller.id}`)).toEqual([owned.id]);
    expect(await ids(manager.token, '&inPool=1')).toEqual([pooled]);
    expect(await ids(manager.token, '&inPool=0')).toEqual([owned.id]);
    // Sales asking for the pool in the customer list get nothing (the pool is /pool).
    expect(await ids(seller.token, '&inPool=1')).toEqual([]);
    const other = await createStaffMember('manager', { department: unique('别的部门') });
    expect(await ids(other.token)).not.toContain(owned.id);
  });
});

describe('claims (申领)', () => {
  it('20 parallel claims of one customer: exactly one winner, one event', async () => {
    await setRules({ defaults, byRole: {}, byStaff: [] });
    const id = await poolCustomer();
    const claimers = await Promise.all(Array.from({ length: 20 }, (_, i) => sales(`销售${i % 3}部`)));
    const answers = await Promise.all(claimers.map((who) => claim(id, who)));
    const winners = answers.filter((answer) => answer.status === 200);
    expect(winners).toHaveLength(1);
    for (const answer of answers.filter((a) => a.status !== 200)) {
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe('CUSTOMER_ALREADY_CLAIMED');
    }
    const winner = claimers[answers.findIndex((answer) => answer.status === 200)]!;
    const doc = await Customer.findById(id).lean();
    expect(doc).toMatchObject({ ownerId: winner.id, department: winner.doc.department });
    expect((await history(id)).filter((event) => event.kind === 'claim')).toMatchObject([{ toOwnerId: winner.id, byStaffId: winner.id }]);
    // Claimed customers leave the pool.
    expect((await claim(id, claimers[0] === winner ? claimers[1]! : claimers[0]!)).body.error.code).toBe('CUSTOMER_ALREADY_CLAIMED');
  });

  it('the cap: POOL_CAP_REACHED with the cap; one person claiming many at once never passes it', async () => {
    const greedy = await sales();
    await setRules({ defaults, byRole: { sales: { maxOwned: 50 } }, byStaff: [{ staffId: greedy.id, maxOwned: 3 }] });
    expect((await api('/api/v1/pool/quota', greedy.token)).body).toEqual({ owned: 0, maxOwned: 3 });
    const first = await poolCustomer();
    expect((await claim(first, greedy)).status).toBe(200);

    const many = await Promise.all(Array.from({ length: 8 }, () => poolCustomer()));
    const answers = await Promise.all(many.map((id) => claim(id, greedy)));
    const won = answers.filter((answer) => answer.status === 200).length;
    expect(won).toBeLessThanOrEqual(2);
    for (const answer of answers.filter((a) => a.status !== 200)) expect(answer.body.error.code).toBe('POOL_CAP_REACHED');
    expect(await Customer.countDocuments({ ownerId: greedy.id })).toBe(1 + won);

    // Sequentially up to the cap, then refused with the cap in the message.
    const rest = many.filter((_, i) => answers[i]!.status !== 200);
    let index = 0;
    while ((await Customer.countDocuments({ ownerId: greedy.id })) < 3) expect((await claim(rest[index++]!, greedy)).status).toBe(200);
    const refused = await claim(rest[index]!, greedy);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'POOL_CAP_REACHED' });
    expect(refused.body.error.message).toContain('3');
    expect(await Customer.countDocuments({ ownerId: greedy.id })).toBe(3);
    // A customer given back after a lost race stays claimable by others.
    expect((await claim(rest[index]!, await sales())).status).toBe(200);
    // At the cap, creating a customer (which they would own) is refused too, and nothing is stored.
    const before = await Customer.countDocuments({});
    const created = await api('/api/v1/customers', greedy.token, { body: { name: '超额新建客户', region: '杭州' } });
    expect(created.status).toBe(409);
    expect(created.body.error.code).toBe('POOL_CAP_REACHED');
    expect(await Customer.countDocuments({})).toBe(before);
  });
});

describe('release, transfer, reassign, lock', () => {
  it('release and transfer: owner or manager, with a reason; the department follows the owner; history kept', async () => {
    await setRules({ defaults, byRole: {}, byStaff: [] });
    const department = unique('转交部');
    const [owner, colleague, outsider] = [await sales(department), await sales(unique('接收部')), await sales(department)];
    const id = await poolCustomer({ department });
    await createContact({ _id: (await Customer.findById(id))!._id });
    expect((await claim(id, owner)).status).toBe(200);

    expect((await api(`/api/v1/customers/${id}/release`, outsider.token, { body: { reason: '不是我的' } })).status).toBe(404);
    await setCustomerCollaborators(id, [outsider.id]);
    expect((await api(`/api/v1/customers/${id}/release`, outsider.token, { body: { reason: '协作人' } })).body.error.code).toBe('CUSTOMER_OWNER_ONLY');
    expect((await api(`/api/v1/customers/${id}/release`, owner.token, { body: { reason: '' } })).status).toBe(400);
    expect((await api(`/api/v1/customers/${id}/release`, owner.token, { body: {} })).status).toBe(400);
    const released = await api(`/api/v1/customers/${id}/release`, owner.token, { body: { reason: '客户暂无需求' } });
    expect(released.body).toMatchObject({ inPool: true, ownerId: null });
    expect((await api(`/api/v1/customers/${id}/release`, admin, { body: { reason: '再放一次' } })).body.error.code).toBe('CUSTOMER_IN_POOL');

    expect((await claim(id, owner)).status).toBe(200);
    const engineer = await createStaffMember('engineer', { department });
    expect((await api(`/api/v1/customers/${id}/transfer`, owner.token, { body: { toStaffId: engineer.id, reason: '转给工程师' } })).body.error.code).toBe('OWNER_INVALID');
    const inactive = await createStaffMember('sales', { department, active: false });
    expect((await api(`/api/v1/customers/${id}/transfer`, owner.token, { body: { toStaffId: inactive.id, reason: '离职人员' } })).body.error.code).toBe('OWNER_INVALID');
    await setRules({ defaults, byRole: {}, byStaff: [{ staffId: colleague.id, maxOwned: 1 }] });
    await claim(await poolCustomer(), colleague);
    const full = await api(`/api/v1/customers/${id}/transfer`, owner.token, { body: { toStaffId: colleague.id, reason: '区域调整' } });
    expect(full.status).toBe(409);
    expect(full.body.error.code).toBe('POOL_CAP_REACHED');
    await setRules({ defaults, byRole: {}, byStaff: [] });
    const moved = await api(`/api/v1/customers/${id}/transfer`, owner.token, { body: { toStaffId: colleague.id, reason: '区域调整' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ ownerId: colleague.id, department: colleague.doc.department });
    // Its contacts went along: the new owner lists them, the old one no longer sees the customer.
    expect((await api(`/api/v1/contacts?customerId=${id}`, colleague.token)).body.total).toBe(1);
    expect((await api(`/api/v1/customers/${id}`, owner.token)).status).toBe(404);

    const events = await history(id);
    expect(events.map((event) => event.kind)).toEqual(['transfer', 'claim', 'release', 'claim']);
    expect(events[0]).toMatchObject({ fromOwnerId: owner.id, toOwnerId: colleague.id, reason: '区域调整', byStaffId: owner.id, toOwnerName: colleague.doc.name });
    expect(events[2]).toMatchObject({ fromOwnerId: owner.id, toOwnerId: null, reason: '客户暂无需求' });
  });

  it('bulk reassignment by managers moves every customer once (resumable); lock is for managers', async () => {
    await setRules({ defaults, byRole: {}, byStaff: [] });
    const department = unique('批量部');
    const [leaver, heir] = [await sales(department), await sales(department)];
    const manager = await createStaffMember('manager', { department });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const id = await poolCustomer({ department });
      expect((await claim(id, leaver)).status).toBe(200);
      ids.push(id);
    }
    const body = { fromStaffId: leaver.id, toStaffId: heir.id, reason: '离职交接' };
    expect((await api('/api/v1/customers/reassign', leaver.token, { body })).status).toBe(403);
    const stranger = await createStaffMember('manager', { department: unique('别的部') });
    expect((await api('/api/v1/customers/reassign', stranger.token, { body })).body.error.code).toBe('OWNER_OUT_OF_SCOPE');
    const done = await api('/api/v1/customers/reassign', manager.token, { body });
    expect(done.body).toEqual({ moved: 5, remaining: 0 });
    expect((await api('/api/v1/customers/reassign', manager.token, { body })).body).toEqual({ moved: 0, remaining: 0 });
    expect(await Customer.countDocuments({ ownerId: heir.id })).toBe(5);
    for (const id of ids) expect((await history(id))[0]).toMatchObject({ kind: 'reassign', fromOwnerId: leaver.id, toOwnerId: heir.id, byStaffId: manager.id });

    expect((await api(`/api/v1/customers/${ids[0]}/lock`, heir.token, { method: 'PUT', body: { locked: true } })).status).toBe(403);
    expect((await api(`/api/v1/customers/${ids[0]}/lock`, manager.token, { method: 'PUT', body: { locked: true } })).body).toMatchObject({ locked: true });
    expect((await api(`/api/v1/customers/${ids[0]}/lock`, stranger.token, { method: 'PUT', body: { locked: true } })).status).toBe(404);
  });
});

describe('permissions', () => {
  it('who may use the pool and edit its rules', async () => {
    const id = await poolCustomer();
    for (const role of ['engineer', 'marketer', 'dispatcher'] as const) {
      const who = await createStaffMember(role);
      expect((await api('/api/v1/pool', who.token)).status, role).toBe(403);
      expect((await claim(id, who)).status, role).toBe(403);
      expect((await api(`/api/v1/customers/${id}/transfer`, who.token, { body: { toStaffId: who.id, reason: 'x' } })).status, role).toBe(403);
    }
    // Who may receive customers: sales see every active colleague, managers their departments'.
    const department = unique('接收人部');
    const [near, far] = [await sales(department), await sales(unique('远方部'))];
    const retired = await createStaffMember('sales', { department, active: false });
    const picker = async (token: string) => ((await api('/api/v1/pool/owners', token)).body as Array<{ id: string }>).map((owner) => owner.id);
    expect(await picker(near.token)).toEqual(expect.arrayContaining([near.id, far.id]));
    expect(await picker(near.token)).not.toContain(retired.id);
    const local = await createStaffMember('manager', { department });
    expect(await picker(local.token)).toContain(near.id);
    expect(await picker(local.token)).not.toContain(far.id);

    const manager = await createStaffMember('manager');
    expect((await api('/api/v1/settings/pool', manager.token)).status).toBe(200);
    expect((await api('/api/v1/settings/pool', manager.token, { method: 'PUT', body: { defaults, byRole: {}, byStaff: [] } })).status).toBe(403);
    const bad = await api('/api/v1/settings/pool', admin, { method: 'PUT', body: { defaults: { ...defaults, maxOwned: -1 }, byRole: {}, byStaff: [] } });
    expect(bad.status).toBe(400);
    expect((await api('/api/v1/settings/pool', admin, { method: 'PUT', body: { defaults, byRole: { engineer: {} }, byStaff: [] } })).status).toBe(400);
    expect((await api('/api/v1/pool?q[$ne]=x', admin)).status).toBe(400);
  });
});
