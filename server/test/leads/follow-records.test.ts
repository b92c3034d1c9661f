// 跟进记录 through the API on the real database: who may write and read them, what a record does
// to its lead (status, next date) or customer (the pool clock), the timeline, and the due list of
// the workbench on a controlled clock (latest record per lead/customer, by the end of the China day).
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, chinaDate, chinaDayStart } from '../../src/lib/china-time.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { reminderStands, withPoolClock } from '../../src/modules/customers/pool-clock.service.js';
import { countReturningCustomers } from '../../src/modules/customers/workbench.counts.js';
import { FollowRecord } from '../../src/modules/leads/follow-record.model.js';
import { releaseCustomer } from '../../src/modules/customers/pool.service.js';
import { closeLead } from '../../src/modules/leads/close.service.js';
import { countDueFollowRecords, createFollowRecord, listDueFollowRecords } from '../../src/modules/leads/follow-record.service.js';
import { LeadCollaborator, leadCollaboratorId } from '../../src/modules/leads/lead-collaborator.model.js';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { setCustomerCollaborators } from '../../src/modules/customers/ownership.service.js';
import type { StaffPrincipal } from '../../src/modules/identity/principal.js';
import { createDepartment } from '../../src/modules/org/department.service.js';
import { adminToken, createCustomer, createStaffMember } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((s) => void (server = s));

type Staff = Awaited<ReturnType<typeof createStaffMember>>;
let region: string;
let city: string;
let elsewhere: string;
let sales: Staff;
let otherSales: Staff;
let manager: Staff;
let farManager: Staff;
let dispatcher: Staff;
let admin: string;

const principal = (staff: Staff, role: StaffPrincipal['role'], department: string): StaffPrincipal => ({
  kind: 'staff',
  staffId: staff.id,
  role,
  department,
  sessionId: 'test',
});

async function lead(owner: Staff | null, fields: Record<string, unknown> = {}) {
  const doc = await Lead.create({
    name: '周先生',
    company: '宁波港务',
    phone: '13700000001',
    source: 'manual',
    status: owner ? 'assigned' : 'new',
    ownerId: owner?.id ?? null,
    department: city,
    ...fields,
  });
  // Shared leads are found through their collaborator rows, as the lead service writes them.
  const collaborators = (fields.collaboratorIds as string[] | undefined) ?? [];
  for (const staffId of collaborators) await LeadCollaborator.create({ _id: leadCollaboratorId(String(doc._id), staffId), leadId: String(doc._id), staffId, at: new Date() });
  return String(doc._id);
}

async function ownedCustomer(owner: Staff | null, department = city, fields: Record<string, unknown> = {}) {
  const customer = await createCustomer({ name: '宁波港务集团', department });
  await Customer.updateOne({ _id: customer._id }, { $set: { ownerId: owner?.id ?? null, ...fields } });
  return String(customer._id);
}

const post = (token: string, body: unknown) => call(server.url, '/api/v1/follow-records', { token, body });
const get = (token: string, query: string) => call(server.url, `/api/v1/follow-records${query}`, { token });

beforeAll(async () => {
  region = (await createDepartment({ name: `华东销售部-${Date.now()}`, parentId: null })).id;
  city = (await createDepartment({ name: '宁波销售组', parentId: region })).id;
  elsewhere = (await createDepartment({ name: `华南销售部-${Date.now()}`, parentId: null })).id;
  sales = await createStaffMember('sales', { name: '钱销售', department: city });
  otherSales = await createStaffMember('sales', { name: '孙销售', department: city });
  manager = await createStaffMember('manager', { name: '李经理', department: region });
  farManager = await createStaffMember('manager', { name: '赵经理', department: elsewhere });
  dispatcher = await createStaffMember('dispatcher', { department: city });
  admin = await adminToken(server);
});

describe('POST /follow-records on a lead', () => {
  it('records a follow-up: the lead moves to 跟进中 and takes the next date; the author and names come back', async () => {
    const id = await lead(sales);
    const nextAt = new Date(Date.now() + 3 * DAY_MS).toISOString();
    const answer = await post(sales.token, { target: 'lead', leadId: id, kind: 'visit', note: '上门拜访，客户对中央空调有兴趣', nextStep: '发送报价', nextAt });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({
      target: 'lead',
      leadId: id,
      customerId: null,
      targetName: '宁波港务（周先生）',
      kind: 'visit',
      nextStep: '发送报价',
      nextAt,
      authorId: sales.id,
      authorName: '钱销售',
      department: city,
      latest: true,
    });
    const after = await Lead.findById(id).lean();
    expect(after?.status).toBe('following');
    expect(after?.nextFollowUpAt?.toISOString()).toBe(nextAt);
    expect(after?.lastFollowUpAt?.getTime()).toBe(Date.parse(answer.body.createdAt));

    // A later record without a next date clears the lead's: only the latest counts.
    await post(sales.token, { target: 'lead', leadId: id, kind: 'phone', note: '电话确认收到报价' });
    expect((await Lead.findById(id).lean())?.nextFollowUpAt).toBeNull();
    expect(await FollowRecord.countDocuments({ leadId: id, latest: true })).toBe(1);
  });

  it('takes a calendar day as the start of that China day, and refuses a next date before today', async () => {
    const id = await lead(sales);
    const tomorrow = chinaDate(new Date(Date.now() + DAY_MS));
    const answer = await post(sales.token, { target: 'lead', leadId: id, kind: 'wechat', note: '微信沟通', nextAt: tomorrow });
    expect(answer.status).toBe(201);
    expect(answer.body.nextAt).toBe(chinaDayStart(tomorrow).toISOString());
    const past = await post(sales.token, { target: 'lead', leadId: id, kind: 'wechat', note: '微信沟通', nextAt: chinaDate(new Date(Date.now() - 2 * DAY_MS)) });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe('FOLLOW_NEXT_AT_PAST');
  });

  it('refuses closed and converted leads with 409 LEAD_CLOSED, and leaves a new lead new', async () => {
    const closed = await post(sales.token, { target: 'lead', leadId: await lead(sales, { status: 'closed' }), kind: 'phone', note: '再联系' });
    expect(closed.status).toBe(409);
    expect(closed.body.error).toEqual({ code: 'LEAD_CLOSED', message: '线索已关闭，不能再记录跟进' });
    const converted = await post(sales.token, { target: 'lead', leadId: await lead(sales, { status: 'converted' }), kind: 'phone', note: '再联系' });
    expect(converted.status).toBe(409);
    expect(converted.body.error.message).toContain('客户');

    const unassigned = await lead(null);
    expect((await post(manager.token, { target: 'lead', leadId: unassigned, kind: 'other', note: '经理先联系了一次' })).status).toBe(201);
    expect((await Lead.findById(unassigned).lean())?.status).toBe('new');
  });

  it('lets the owner, a collaborator, a manager of the subtree and admin write; others get 404 or 403', async () => {
    const id = await lead(sales, { collaboratorIds: [otherSales.id] });
    const body = { target: 'lead', leadId: id, kind: 'phone', note: '电话沟通' };
    for (const token of [sales.token, otherSales.token, manager.token, admin]) expect((await post(token, body)).status).toBe(201);
    const stranger = await createStaffMember('sales', { department: city });
    const hidden = await post(stranger.token, body);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('LEAD_NOT_FOUND');
    expect((await post(farManager.token, body)).status).toBe(404);
    expect((await post(dispatcher.token, body)).status).toBe(403);
    expect((await post(sales.token, { ...body, leadId: '0123456789abcdef01234567' })).status).toBe(404);
  });

  it('validates strictly, with Chinese messages', async () => {
    const id = await lead(sales);
    const empty = await post(sales.token, { target: 'lead', leadId: id, kind: 'phone', note: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.note).toBe('请填写跟进内容');
    expect((await post(sales.token, { target: 'lead', leadId: id, kind: 'phone', note: '长'.repeat(1001) })).body.error.details.note).toContain('1000');
    expect((await post(sales.token, { target: 'lead', leadId: id, kind: 'phone', note: 'x', nextStep: '长'.repeat(201) })).status).toBe(400);
    expect((await post(sales.token, { target: 'lead', leadId: id, kind: 'fax', note: 'x' })).body.error.details.kind).toBe('跟进方式无效');
    expect((await post(sales.token, { target: 'lead', kind: 'phone', note: 'x' })).body.error.details.leadId).toBeTruthy();
    expect((await post(sales.token, { target: 'lead', leadId: id, customerId: id, kind: 'phone', note: 'x' })).status).toBe(400);
    expect((await post(sales.token, { target: 'lead', leadId: id, kind: 'phone', note: 'x', authorId: manager.id })).status).toBe(400);
    expect((await post(sales.token, { target: 'lead', leadId: id, kind: 'phone', note: 'x', nextAt: '2026-02-30' })).status).toBe(400);
  });

  it('two records written at once leave exactly one latest: the newer', async () => {
    const id = await lead(sales);
    const answers = await Promise.all(
      Array.from({ length: 4 }, (_, n) => post(sales.token, { target: 'lead', leadId: id, kind: 'phone', note: `第 ${n + 1} 次`, nextAt: chinaDate(new Date(Date.now() + (n + 1) * DAY_MS)) })),
    );
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    const records = await FollowRecord.find({ leadId: id }).sort({ createdAt: -1, _id: -1 }).lean();
    expect(records.filter((r) => r.latest).map((r) => String(r._id))).toEqual([String(records[0]!._id)]);
  });
});

describe('POST /follow-records on a customer', () => {
  it('restarts the pool clock: lastFollowUpAt moves on and a sent return reminder no longer counts', async () => {
    const old = new Date(Date.now() - 20 * DAY_MS);
    const id = await ownedCustomer(sales, city, { lastFollowUpAt: old, poolReminderAt: new Date(Date.now() - DAY_MS) });
    const before = await countReturningCustomers({ ownerId: sales.id });
    expect(before).toBeGreaterThan(0);
    const answer = await post(sales.token, { target: 'customer', customerId: id, kind: 'visit', note: '回访设备使用情况' });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toMatchObject({ target: 'customer', customerId: id, leadId: null, targetName: '宁波港务集团', department: city });
    // The clock is kept beside the customer (a follow-up never writes the customer itself).
    const after = await withPoolClock((await Customer.findById(id).lean())!);
    expect(after.lastFollowUpAt?.getTime()).toBe(Date.parse(answer.body.createdAt));
    expect(reminderStands(after)).toBe(false);
    expect(await countReturningCustomers({ ownerId: sales.id })).toBe(before - 1);
  });

  it('lets the owner, a manager of the subtree and admin write; not another salesperson, nor anyone on a pool customer but managers', async () => {
    const id = await ownedCustomer(sales);
    const body = { target: 'customer', customerId: id, kind: 'phone', note: '电话' };
    for (const token of [sales.token, manager.token, admin]) expect((await post(token, body)).status).toBe(201);
    const other = await post(otherSales.token, body);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('CUSTOMER_NOT_FOUND');
    expect((await post(farManager.token, body)).status).toBe(404);
    const pool = await ownedCustomer(null);
    expect((await post(sales.token, { ...body, customerId: pool })).status).toBe(404);
    expect((await post(manager.token, { ...body, customerId: pool })).status).toBe(201);
    // Looking is allowed (the pool customer's 360 shows its history), writing is not.
    const history = await get(sales.token, `?customerId=${pool}`);
    expect(history.status).toBe(200);
    expect(history.body.items.map((r: { authorName: string }) => r.authorName)).toEqual(['李经理']);
    expect((await get(otherSales.token, `?customerId=${id}`)).status).toBe(404);
  });
});

describe('GET /follow-records', () => {
  it('gives a lead’s timeline newest first with paging, to those who see the lead', async () => {
    const id = await lead(sales);
    for (const note of ['第一次', '第二次', '第三次']) expect((await post(sales.token, { target: 'lead', leadId: id, kind: 'phone', note })).status).toBe(201);
    const all = await get(sales.token, `?leadId=${id}`);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect(all.body.items.map((r: { note: string }) => r.note)).toEqual(['第三次', '第二次', '第一次']);
    expect(all.body.items.map((r: { latest: boolean }) => r.latest)).toEqual([true, false, false]);
    expect(all.body.items[0].authorName).toBe('钱销售');
    const page = await get(manager.token, `?leadId=${id}&page=2&pageSize=2`);
    expect(page.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.body.items.map((r: { note: string }) => r.note)).toEqual(['第一次']);
    expect((await get(otherSales.token, `?leadId=${id}`)).status).toBe(404);
    expect((await get(dispatcher.token, `?leadId=${id}`)).status).toBe(403);
  });

  it('lists the caller’s own records with mine=1, and asks for a filter otherwise', async () => {
    const writer = await createStaffMember('sales', { department: city });
    const id = await lead(writer);
    await post(writer.token, { target: 'lead', leadId: id, kind: 'phone', note: '我的记录' });
    await post(manager.token, { target: 'lead', leadId: id, kind: 'phone', note: '经理的记录' });
    const mine = await get(writer.token, '?mine=1');
    expect(mine.body.items.map((r: { note: string }) => r.note)).toEqual(['我的记录']);
    expect((await get(writer.token, `?leadId=${id}&mine=1`)).body.total).toBe(1);
    const none = await get(writer.token, '');
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('FOLLOW_FILTER_REQUIRED');
    expect((await get(writer.token, '?leadId[$ne]=x')).status).toBe(400);
  });
});

describe('due follow-ups', () => {
  it('counts the latest record of each lead/customer the viewer works with a next date by the end of today, China time', async () => {
    const now = new Date();
    const today = chinaDate(now);
    const at = (days: number) => new Date(now.getTime() + days * DAY_MS);
    const seller = await createStaffMember('sales', { name: '吴销售', department: city });
    const colleague = await createStaffMember('sales', { name: '郑销售', department: city });
    const me = principal(seller, 'sales', city);
    const them = principal(colleague, 'sales', city);
    const write = (who: StaffPrincipal, target: { leadId?: string; customerId?: string }, when: Date, nextAt: string | null, note: string) =>
      createFollowRecord(who, { target: target.leadId ? 'lead' : 'customer', ...target, kind: 'phone', note, nextStep: '', nextAt }, when);

    // Superseded: an overdue next date, then a later record moving it to next week.
    const moved = await lead(seller);
    await write(me, { leadId: moved }, at(-5), chinaDate(at(-2)), '旧的下次跟进');
    await write(me, { leadId: moved }, at(-1), chinaDate(at(7)), '改到下周');
    // Shared with me, due tonight (23:00 China time today).
    const shared = await lead(colleague, { collaboratorIds: [seller.id] });
    const tonight = new Date(chinaDayStart(today).getTime() + 23 * 3600_000).toISOString();
    await write(them, { leadId: shared }, at(-3), tonight, '协作线索，今晚回电');
    // My customer, overdue since yesterday.
    const mine = await ownedCustomer(seller);
    await write(me, { customerId: mine }, at(-4), chinaDate(at(-1)), '客户回访');
    // Not mine: a colleague's customer; and one they share with me, due today.
    const theirs = await ownedCustomer(colleague);
    await write(them, { customerId: theirs }, at(-4), chinaDate(at(-1)), '同事的客户');
    const sharedCustomer = await ownedCustomer(colleague);
    await setCustomerCollaborators(sharedCustomer, [seller.id]);
    await write(me, { customerId: sharedCustomer }, at(-2), today, '协作客户今天拜访');
    // Closed since: not due.
    const closed = await lead(seller);
    await write(me, { leadId: closed }, at(-3), chinaDate(at(-1)), '后来关闭了');
    await closeLead(me, closed, { reason: 'no-need', note: '' });
    // Tomorrow at 00:00 China time: not due today, due tomorrow.
    const tomorrowLead = await lead(seller);
    await write(me, { leadId: tomorrowLead }, at(-1), chinaDate(at(1)), '明天跟进');
    // No next date: never due.
    await write(me, { leadId: await lead(seller) }, at(-1), null, '没有下次');
    // Back to the pool since: nobody's to follow up.
    const returned = await ownedCustomer(seller);
    await write(me, { customerId: returned }, at(-3), chinaDate(at(-1)), '已退回公海');
    await releaseCustomer(me, returned, '客户暂无需求');

    expect(await countDueFollowRecords(me, now)).toBe(3);
    const due = await listDueFollowRecords(me, now, 10);
    expect(due.map((r) => r.note)).toEqual(['客户回访', '协作客户今天拜访', '协作线索，今晚回电']);
    expect(due[2]).toMatchObject({ leadId: shared, authorName: '郑销售', latest: true });
    expect((await listDueFollowRecords(me, now, 1)).map((r) => r.note)).toEqual(['客户回访']);
    expect(await countDueFollowRecords(me, at(1))).toBe(4);
    expect(await countDueFollowRecords(them, now)).toBe(3);

    // Managers see their subtree's; one elsewhere sees none of these; dispatchers and engineers nothing.
    const managerDue = await listDueFollowRecords(principal(manager, 'manager', region), now, 100);
    expect(managerDue.map((r) => r.note)).toEqual(expect.arrayContaining(['客户回访', '协作线索，今晚回电', '同事的客户']));
    expect(managerDue.map((r) => r.note)).not.toContain('后来关闭了');
    expect(managerDue.map((r) => r.note)).not.toContain('旧的下次跟进');
    expect((await listDueFollowRecords(principal(farManager, 'manager', elsewhere), now, 100)).map((r) => r.note)).not.toContain('客户回访');
    expect(await countDueFollowRecords(principal(dispatcher, 'dispatcher', city), now)).toBe(0);

    // The same through the API (the server's clock is now).
    const listed = await get(seller.token, '?due=1');
    expect(listed.status).toBe(200);
    expect(listed.body.total).toBe(3);
    expect(listed.body.items.map((r: { note: string }) => r.note)).toEqual(['客户回访', '协作客户今天拜访', '协作线索，今晚回电']);
  });
});
