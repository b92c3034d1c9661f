// 待跟进 kept per lead/customer (`follow_dues`) on the real database and server: the due list right
// after a record, after a later record moves or clears the date, after the lead or customer goes to
// another owner or department, after a lead is closed, reopened or converted, a customer released
// and claimed; who sees which (the permission matrix); paging and `mine`; records racing
// reassignment; and the start-up backfill rebuilding the same rows.
import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateFollowDues } from '../../src/db/migrations/follow-dues.js';
import { chinaDate } from '../../src/lib/china-time.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { removeImportedRecords } from '../../src/modules/customers/import.writes.js';
import { updateCustomer } from '../../src/modules/customers/customer.service.js';
import { setCustomerCollaborators } from '../../src/modules/customers/ownership.service.js';
import type { StaffPrincipal } from '../../src/modules/identity/principal.js';
import { FollowDue } from '../../src/modules/leads/follow-record-due.model.js';
import { FollowRecord } from '../../src/modules/leads/follow-record.model.js';
import { countDueFollowRecords, listDueFollowRecords } from '../../src/modules/leads/follow-record.service.js';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { LeadCollaborator, leadCollaboratorId } from '../../src/modules/leads/lead-collaborator.model.js';
import { createDepartment } from '../../src/modules/org/department.service.js';
import { adminToken, createCustomer, createStaffMember, unique } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { makeLead, newCustomerBody } from './convert-helpers.js';

let server: TestServer;
useTestServer((s) => void (server = s));

type Staff = Awaited<ReturnType<typeof createStaffMember>>;
let region: string;
let east: string;
let west: string;
let far: string;
let admin: string;
let regionManager: Staff;
let eastManager: Staff;
let westManager: Staff;
let farManager: Staff;

const DAY = 86_400_000;
const today = () => chinaDate(new Date());
const tomorrow = () => chinaDate(new Date(Date.now() + DAY));

beforeAll(async () => {
  region = (await createDepartment({ name: unique('华东大区'), parentId: null })).id;
  east = (await createDepartment({ name: unique('杭州组'), parentId: region })).id;
  west = (await createDepartment({ name: unique('宁波组'), parentId: region })).id;
  far = (await createDepartment({ name: unique('华南大区'), parentId: null })).id;
  regionManager = await createStaffMember('manager', { name: '区经理', department: region });
  eastManager = await createStaffMember('manager', { name: '杭州经理', department: east });
  westManager = await createStaffMember('manager', { name: '宁波经理', department: west });
  farManager = await createStaffMember('manager', { name: '华南经理', department: far });
  admin = await adminToken(server);
});

const seller = (department: string, name = '业务员') => createStaffMember('sales', { name: unique(name), department });

const write = (token: string, target: { leadId: string } | { customerId: string }, note: string, nextAt: string | null) =>
  call(server.url, '/api/v1/follow-records', {
    token,
    body: { target: 'leadId' in target ? 'lead' : 'customer', ...target, kind: 'phone', note, ...(nextAt ? { nextAt } : {}) },
  });

async function wrote(token: string, target: { leadId: string } | { customerId: string }, note: string, nextAt: string | null) {
  const answer = await write(token, target, note, nextAt);
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { id: string };
}

/** The due list through the API: its total and notes (oldest first). */
async function due(token: string, query = ''): Promise<{ total: number; notes: string[] }> {
  const answer = await call(server.url, `/api/v1/follow-records?due=1&pageSize=100${query}`, { token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return { total: answer.body.total, notes: answer.body.items.map((item: { note: string }) => item.note) };
}

const notesOf = async (token: string) => (await due(token)).notes;

async function ownedCustomer(owner: Staff, department: string): Promise<string> {
  const customer = await createCustomer({ name: unique('宁波港务'), department });
  // Owned before any record is written (as a claim or create leaves it).
  await Customer.updateOne({ _id: customer._id }, { $set: { ownerId: owner.id, ownerSince: new Date() } });
  return String(customer._id);
}

describe('a lead’s due follow-up', () => {
  it('is due right after a record dated today; a later record moves it or clears it', async () => {
    const me = await seller(east);
    const leadId = await makeLead({ ownerId: me.id, department: east });
    await wrote(me.token, { leadId }, '今天回电', today());
    expect(await due(me.token)).toEqual({ total: 1, notes: ['今天回电'] });
    await wrote(me.token, { leadId }, '改到明天', tomorrow());
    expect(await due(me.token)).toEqual({ total: 0, notes: [] });
    await wrote(me.token, { leadId }, '还是今天', today());
    expect(await due(me.token)).toEqual({ total: 1, notes: ['还是今天'] });
    await wrote(me.token, { leadId }, '不用再跟', null);
    expect(await due(me.token)).toEqual({ total: 0, notes: [] });
    expect(await FollowDue.countDocuments({ targetId: leadId })).toBe(0);
  });

  it('moves to the new owner and department when the lead is reassigned', async () => {
    const first = await seller(east);
    const second = await seller(west);
    const leadId = await makeLead({ ownerId: first.id, department: east });
    await wrote(first.token, { leadId }, '改派前的跟进', today());
    expect(await notesOf(first.token)).toEqual(['改派前的跟进']);
    expect(await notesOf(eastManager.token)).toContain('改派前的跟进');
    expect(await notesOf(westManager.token)).not.toContain('改派前的跟进');

    const assigned = await call(server.url, `/api/v1/leads/${leadId}/assign`, { token: admin, body: { ownerId: second.id } });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(await due(first.token)).toEqual({ total: 0, notes: [] });
    expect(await notesOf(second.token)).toEqual(['改派前的跟进']);
    expect(await notesOf(westManager.token)).toContain('改派前的跟进');
    expect(await notesOf(eastManager.token)).not.toContain('改派前的跟进');
    expect(await notesOf(regionManager.token)).toContain('改派前的跟进');
  });

  it('leaves the list when the lead is closed or converted, and comes back when it is reopened', async () => {
    const me = await seller(east);
    const closing = await makeLead({ ownerId: me.id, department: east });
    const converting = await makeLead({ ownerId: me.id, department: east });
    await wrote(me.token, { leadId: closing }, '准备关闭', today());
    await wrote(me.token, { leadId: converting }, '准备转化', today());
    expect((await due(me.token)).total).toBe(2);

    expect((await call(server.url, `/api/v1/leads/${closing}/close`, { token: me.token, body: { reason: 'no-need' } })).status).toBe(200);
    expect(await notesOf(me.token)).toEqual(['准备转化']);
    expect((await call(server.url, `/api/v1/leads/${closing}/reopen`, { token: me.token, body: {} })).status).toBe(200);
    expect((await notesOf(me.token)).sort()).toEqual(['准备关闭', '准备转化']);

    const converted = await call(server.url, `/api/v1/leads/${converting}/convert`, { token: me.token, body: newCustomerBody() });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(await due(me.token)).toEqual({ total: 1, notes: ['准备关闭'] });
    expect(await notesOf(eastManager.token)).not.toContain('准备转化');
  });
});

describe('a customer’s due follow-up', () => {
  it('follows transfers, leaves with the customer to the pool, returns with a claim, follows a department edit', async () => {
    const first = await seller(east);
    const second = await seller(west);
    const customerId = await ownedCustomer(first, east);
    await wrote(first.token, { customerId }, '客户回访', today());
    expect(await notesOf(first.token)).toEqual(['客户回访']);
    expect(await notesOf(eastManager.token)).toContain('客户回访');

    const transfer = await call(server.url, `/api/v1/customers/${customerId}/transfer`, { token: first.token, body: { toStaffId: second.id, reason: '区域调整' } });
    expect(transfer.status, JSON.stringify(transfer.body)).toBe(200);
    expect(await due(first.token)).toEqual({ total: 0, notes: [] });
    expect(await notesOf(second.token)).toEqual(['客户回访']);
    expect(await notesOf(westManager.token)).toContain('客户回访');
    expect(await notesOf(eastManager.token)).not.toContain('客户回访');

    // In the pool nobody follows it up.
    expect((await call(server.url, `/api/v1/customers/${customerId}/release`, { token: second.token, body: { reason: '客户暂无需求' } })).status).toBe(200);
    expect((await due(second.token)).total).toBe(0);
    expect(await notesOf(westManager.token)).not.toContain('客户回访');
    const adminView = { kind: 'staff', staffId: 'admin', role: 'admin', department: null, sessionId: 't' } as const satisfies StaffPrincipal;
    expect((await listDueFollowRecords(adminView, new Date(), 1000)).map((r) => r.note)).not.toContain('客户回访');

    // Claimed back: the latest record's date counts again, for the claimant.
    const claimed = await call(server.url, `/api/v1/customers/${customerId}/claim`, { token: first.token, body: {} });
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(await notesOf(first.token)).toEqual(['客户回访']);

    // An edit moving the customer to another department moves its due follow-up with it.
    const doc = (await Customer.findById(customerId).lean())!;
    const adminPrincipal = { ...adminView, staffId: first.id };
    await updateCustomer(adminPrincipal, customerId, { code: doc.code, name: doc.name, region: doc.region, industry: '', grade: '', address: '', phone: '', department: west });
    expect(await notesOf(westManager.token)).toContain('客户回访');
    expect(await notesOf(eastManager.token)).not.toContain('客户回访');
    expect(await notesOf(first.token)).toEqual(['客户回访']);
  });

  it('goes with the customer when an import that created it is rolled back', async () => {
    const me = await seller(east);
    const customerId = await ownedCustomer(me, east);
    await wrote(me.token, { customerId }, '导入客户的回访', today());
    expect(await notesOf(me.token)).toEqual(['导入客户的回访']);
    await removeImportedRecords({ customers: [new Types.ObjectId(customerId)], contacts: [], devices: [] });
    expect(await due(me.token)).toEqual({ total: 0, notes: [] });
    expect(await FollowDue.countDocuments({ targetId: customerId })).toBe(0);
  });
});

describe('who sees which due follow-ups', () => {
  it('sales their own and shared, managers their subtree and the lead intake, admin all, others nobody', async () => {
    const owner = await seller(east);
    const helper = await seller(east);
    const stranger = await seller(east);
    const shared = await makeLead({ ownerId: owner.id, department: east, collaboratorIds: [helper.id] });
    await LeadCollaborator.create({ _id: leadCollaboratorId(shared, helper.id), leadId: shared, staffId: helper.id, at: new Date() });
    await wrote(owner.token, { leadId: shared }, '共享线索', today());
    // A customer without a department: its owner's and admin's, no manager's with a department.
    const loose = await ownedCustomer(owner, '');
    await wrote(owner.token, { customerId: loose }, '无部门客户', today());
    const sharedCustomer = await ownedCustomer(owner, east);
    await setCustomerCollaborators(sharedCustomer, [helper.id]);
    await wrote(helper.token, { customerId: sharedCustomer }, '协作客户', today());
    // The intake: a lead nobody owns, without a department, that a manager followed up.
    const intake = await makeLead({ department: '' });
    await wrote(farManager.token, { leadId: intake }, '待分配线索', today());

    expect((await notesOf(owner.token)).sort()).toEqual(['共享线索', '协作客户', '无部门客户'].sort());
    expect((await notesOf(helper.token)).sort()).toEqual(['共享线索', '协作客户'].sort());
    expect(await due(stranger.token)).toEqual({ total: 0, notes: [] });
    for (const manager of [eastManager, regionManager]) {
      const notes = await notesOf(manager.token);
      expect(notes).toEqual(expect.arrayContaining(['共享线索', '协作客户', '待分配线索']));
      expect(notes).not.toContain('无部门客户');
    }
    const farNotes = await notesOf(farManager.token);
    expect(farNotes).toContain('待分配线索');
    expect(farNotes).not.toContain('共享线索');
    const adminView: StaffPrincipal = { kind: 'staff', staffId: 'admin', role: 'admin', department: null, sessionId: 't' };
    const all = (await listDueFollowRecords(adminView, new Date(), 1000)).map((r) => r.note);
    expect(all).toEqual(expect.arrayContaining(['共享线索', '协作客户', '无部门客户', '待分配线索']));
    expect(await countDueFollowRecords(adminView, new Date())).toBe(all.length);
    for (const role of ['dispatcher', 'marketer', 'engineer'] as const) {
      const someone = await createStaffMember(role, { department: east });
      expect((await call(server.url, '/api/v1/follow-records?due=1', { token: someone.token })).status).toBe(403);
      expect(await countDueFollowRecords({ kind: 'staff', staffId: someone.id, role, department: east, sessionId: 't' }, new Date())).toBe(0);
    }
  });

  it('pages the merged list without overlap, oldest first, and keeps to the viewer’s own records with mine=1', async () => {
    const me = await seller(west);
    const colleague = await seller(west);
    const notes: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const leadId = await makeLead({ ownerId: me.id, department: west });
      await wrote(me.token, { leadId }, `我的第 ${i} 条`, today());
      notes.push(`我的第 ${i} 条`);
    }
    // Shared with me by a colleague, written by the colleague.
    const theirs = await makeLead({ ownerId: colleague.id, department: west, collaboratorIds: [me.id] });
    await LeadCollaborator.create({ _id: leadCollaboratorId(theirs, me.id), leadId: theirs, staffId: me.id, at: new Date() });
    await wrote(colleague.token, { leadId: theirs }, '同事写的', today());

    const pages = [];
    for (let page = 1; page <= 3; page += 1) {
      const answer = await call(server.url, `/api/v1/follow-records?due=1&pageSize=2&page=${page}`, { token: me.token });
      expect(answer.body.total).toBe(4);
      pages.push(...answer.body.items.map((item: { note: string }) => item.note));
    }
    expect(pages.sort()).toEqual([...notes, '同事写的'].sort());
    expect((await due(me.token, '&mine=1')).notes.sort()).toEqual(notes.sort());
    expect((await due(colleague.token, '&mine=1')).notes).toEqual(['同事写的']);
  });
});

describe('races and the start-up backfill', () => {
  it('records written at once and a reassignment beside them leave the newest record’s date with the final owner', async () => {
    const first = await seller(east);
    const second = await seller(west);
    for (let round = 0; round < 3; round += 1) {
      const leadId = await makeLead({ ownerId: first.id, department: east });
      const answers = await Promise.all([
        ...Array.from({ length: 4 }, (_, n) => write(regionManager.token, { leadId }, `第 ${n} 次`, n % 2 === 0 ? today() : tomorrow())),
        call(server.url, `/api/v1/leads/${leadId}/assign`, { token: regionManager.token, body: { ownerId: round % 2 === 0 ? second.id : first.id } }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201, 200]);
      const newest = await FollowRecord.findOne({ leadId }).sort({ createdAt: -1, _id: -1 }).lean();
      const lead = await Lead.findById(leadId).lean();
      const row = await FollowDue.findById(`lead:${leadId}`).lean();
      expect(row).toMatchObject({ recordId: String(newest!._id), ownerId: lead!.ownerId, department: lead!.department });
      expect(row!.dueAt.getTime()).toBe(newest!.nextAt!.getTime());
    }
  });

  it('rebuilds the same rows from the records, once per version unless forced', async () => {
    const before = await FollowDue.find().sort({ _id: 1 }).lean();
    expect(before.length).toBeGreaterThan(5);
    // The server ran it at start: done for this version.
    expect((await migrateFollowDues()).ran).toBe(false);
    await FollowDue.deleteMany({});
    const rebuilt = await migrateFollowDues({ force: true });
    expect(rebuilt.ran).toBe(true);
    expect(rebuilt.records.follow_records).toBe(await FollowRecord.countDocuments());
    expect(await FollowDue.find().sort({ _id: 1 }).lean()).toEqual(before);
    // Again: nothing changes.
    await migrateFollowDues({ force: true });
    expect(await FollowDue.find().sort({ _id: 1 }).lean()).toEqual(before);
  });
});
