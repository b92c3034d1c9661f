// Fields that lists query by, kept on write: a request's overdueAt, contacts' and devices'
// department, the collaborations behind 我的工单; the two-query lists (我的工单, 我的服务) against
// page numbers; and the start-up migration that fills those fields in for earlier data.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { LIST_FIELDS_MIGRATION, migrateListFields } from '../../src/db/migrations/list-fields.js';
import { Contact } from '../../src/modules/customers/contact.model.js';
import { ProductArchive } from '../../src/modules/customers/product-archive.model.js';
import { Feedback, NEVER_OVERDUE } from '../../src/modules/service/feedback.model.js';
import { WorkOrderCollaboration } from '../../src/modules/service/work-order-collaboration.model.js';
import { WorkOrder } from '../../src/modules/service/work-order.model.js';
import { adminToken, createContact, createContactViaApi, createCustomerViaApi, createDispatcher, createEngineer, customerSession, unique } from '../helpers/factories.js';
import { call, type TestServer } from '../helpers/server.js';
import { feedbackIn, feedbackInput, useServerWithCast, type Cast } from './scenario.js';
import { submitFeedback } from '../../src/modules/service/feedback.service.js';

let server: TestServer;
let cast: Cast;
useServerWithCast((started) => ({ server, cast } = started));

const api = (path: string, token: string, options: { method?: string; body?: unknown } = {}) => call(server.url, `/api/v1${path}`, { token, ...options });
const ids = (body: { items: Array<{ id: string }> }) => body.items.map((item) => item.id);
const overdueAtOf = async (id: string) => (await Feedback.findById(id).lean())!.overdueAt;

describe('overdueAt', () => {
  it('is the requested time while open, NEVER_OVERDUE once completed (by the engineer or directly) or without one', async () => {
    const requestedBy = new Date(Math.ceil((Date.now() + 48 * 3600_000) / 1000) * 1000);
    const open = await feedbackIn(cast, 'in_progress', undefined, { requestedBy: requestedBy.toISOString() });
    expect(await overdueAtOf(open.id)).toEqual(requestedBy);
    const none = await feedbackIn(cast, 'submitted');
    expect(await overdueAtOf(none.id)).toEqual(NEVER_OVERDUE);
    const done = await feedbackIn(cast, 'completed', undefined, { requestedBy: requestedBy.toISOString() });
    expect(await overdueAtOf(done.id)).toEqual(NEVER_OVERDUE);

    // Completing directly, after the requested time passed: off the overdue list, onto the other.
    const late = await feedbackIn(cast, 'dispatched', undefined, { requestedBy: requestedBy.toISOString() });
    const passed = new Date(Date.now() - 3600_000);
    await Feedback.updateOne({ _id: late.id }, { $set: { requestedBy: passed, overdueAt: passed } });
    const listed = async (overdue: boolean) => ids((await api(`/feedbacks?overdue=${overdue}&pageSize=100`, cast.admin.token)).body).includes(late.id);
    expect(await listed(true)).toBe(true);
    expect(await listed(false)).toBe(false);
    const completed = await api(`/feedbacks/${late.id}/complete`, cast.dispatcher.token, { body: { note: '电话指导已解决' } });
    expect(completed.status, JSON.stringify(completed.body)).toBe(200);
    expect(await overdueAtOf(late.id)).toEqual(NEVER_OVERDUE);
    expect(await listed(true)).toBe(false);
    expect(await listed(false)).toBe(true);
  });

  it('is filled in on every new document, also one inserted in bulk', async () => {
    const requestedBy = new Date('2030-01-01T00:00:00Z');
    const base = { wechatUserId: 'bulk', customerId: 'c', contactId: 'k', type: 'repair', description: '批量', contactPhone: '13800000000' };
    const [open, done] = await Feedback.insertMany([
      { ...base, number: unique('FWB-'), clientRequestId: randomUUID(), status: 'dispatched', requestedBy },
      { ...base, number: unique('FWB-'), clientRequestId: randomUUID(), status: 'completed', requestedBy },
    ]);
    expect(await overdueAtOf(String(open!._id))).toEqual(requestedBy);
    expect(await overdueAtOf(String(done!._id))).toEqual(NEVER_OVERDUE);
  });
});

describe("contacts' and devices' department", () => {
  it('is the customer’s, and follows the customer to another department', async () => {
    const admin = await adminToken(server);
    const department = async (name: string) => (await api('/departments', admin, { body: { name: unique(name) } })).body as { id: string };
    const east = await department('华东');
    const west = await department('华西');
    const eastDispatcher = await createDispatcher(east.id);
    const westDispatcher = await createDispatcher(west.id);
    const customer = await createCustomerViaApi(server, admin, { department: east.id });
    const contact = await createContactViaApi(server, admin, customer.id);
    const product = await api('/products', admin, {
      body: { serialNumber: unique('SN-'), model: 'KFR-35', productLine: '空调', customerId: customer.id, installedAt: '2026-01-01', warrantyEndsAt: '2028-01-01' },
    });
    expect(product.status).toBe(201);
    expect((await Contact.findById(contact.id).lean())!.department).toBe(east.id);
    expect((await ProductArchive.findById(product.body.id).lean())!.department).toBe(east.id);
    const sees = async (token: string) => ({
      contacts: ids((await api('/contacts?pageSize=100', token)).body),
      products: ids((await api('/products?pageSize=100', token)).body),
    });
    expect(await sees(eastDispatcher.token)).toEqual({ contacts: [contact.id], products: [product.body.id] });
    expect(await sees(westDispatcher.token)).toEqual({ contacts: [], products: [] });

    const moved = await api(`/customers/${customer.id}`, admin, { method: 'PUT', body: { name: customer.name, region: '成都', department: west.id } });
    expect(moved.status).toBe(200);
    expect((await Contact.findById(contact.id).lean())!.department).toBe(west.id);
    expect((await ProductArchive.findById(product.body.id).lean())!.department).toBe(west.id);
    expect(await sees(eastDispatcher.token)).toEqual({ contacts: [], products: [] });
    expect(await sees(westDispatcher.token)).toEqual({ contacts: [contact.id], products: [product.body.id] });
    // Narrowed to one customer: only in scope.
    expect((await api(`/contacts?customerId=${customer.id}`, eastDispatcher.token)).body.total).toBe(0);
    expect((await api(`/contacts?customerId=${customer.id}`, westDispatcher.token)).body.total).toBe(1);

    // A contact moved to a customer of another department goes there too.
    const other = await createCustomerViaApi(server, admin, { department: east.id });
    const edited = await api(`/contacts/${contact.id}`, admin, { method: 'PUT', body: { customerId: other.id, name: '张三', phone: contact.phone } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect((await Contact.findById(contact.id).lean())!.department).toBe(east.id);
  });
});

describe('我的工单 from two indexed queries', () => {
  it('pages the assigned and the shared orders together, by page number and by cursor alike', async () => {
    const me = await createEngineer({ name: '合并工' });
    const colleague = await createEngineer({ name: '同事工' });
    const dispatcher = cast.dispatcher.token;
    const mine: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      const { id } = await feedbackIn(cast, 'submitted');
      const sent = await api(`/feedbacks/${id}/dispatch`, dispatcher, { body: { engineerId: i % 2 === 0 ? me.id : colleague.id } });
      const orderId = sent.body.workOrder.id as string;
      // The colleague's orders are shared with me.
      if (i % 2 === 1) expect((await api(`/work-orders/${orderId}/collaborators`, colleague.token, { body: { engineerIds: [me.id] } })).status).toBe(200);
      mine.push(orderId);
    }
    // Added twice: one collaboration.
    expect((await api(`/work-orders/${mine[1]}/collaborators`, colleague.token, { body: { engineerIds: [me.id] } })).status).toBe(200);
    expect(await WorkOrderCollaboration.countDocuments({ staffId: me.id })).toBe(3);

    const byPage: string[] = [];
    for (let page = 1; page <= 3; page += 1) byPage.push(...ids((await api(`/work-orders?tab=pending&pageSize=3&page=${page}`, me.token)).body));
    expect([...byPage].sort()).toEqual([...mine].sort());
    // Newest dispatch first.
    expect(byPage).toEqual([...mine].reverse());
    const byCursor: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await api(`/work-orders?tab=pending&pageSize=3&page=${pages + 1}${cursor ? `&cursor=${cursor}` : ''}`, me.token);
      expect(page.body.total).toBe(7);
      byCursor.push(...ids(page.body));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 5);
    expect(byCursor).toEqual(byPage);
    const first = (await api('/work-orders?tab=pending&pageSize=10', me.token)).body;
    expect(first.items.filter((o: { collaborating: boolean }) => o.collaborating)).toHaveLength(3);

    // A shared order transferred to me is listed once, as mine.
    const transferred = await api(`/work-orders/${mine[1]}/accept`, colleague.token, { body: {} });
    expect(transferred.status).toBe(200);
    expect((await api(`/work-orders/${mine[1]}/transfer`, colleague.token, { body: { engineerId: me.id, reason: '交给你' } })).status).toBe(200);
    const after = (await api('/work-orders?tab=pending&pageSize=10', me.token)).body;
    expect(after.total).toBe(7);
    expect(after.items.filter((o: { id: string }) => o.id === mine[1])).toMatchObject([{ collaborating: false }]);
    expect((await api('/work-orders?tab=pending&cursor=bm90LWEtY3Vyc29y', me.token)).status).toBe(400);
  });
});

describe('我的服务 from two indexed queries', () => {
  it("lists the person's own requests and their contact's, once each, by page and by cursor", async () => {
    const person = await customerSession();
    const colleague = await customerSession({ customer: person.customer!, contact: person.contact! });
    const elsewhere = await createContact(person.customer!);
    const submitted: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const by = i % 2 === 0 ? person.wechatUserId : colleague.wechatUserId;
      submitted.push((await submitFeedback(by, feedbackInput())).detail.id);
    }
    // Submitted by the person for another contact (verified as it then): still theirs.
    await mongoose.connection.collection('wechat_users').updateOne({ _id: person.wechatUserId as never }, { $set: { contactId: String(elsewhere._id) } });
    submitted.push((await submitFeedback(person.wechatUserId, feedbackInput())).detail.id);
    await mongoose.connection.collection('wechat_users').updateOne({ _id: person.wechatUserId as never }, { $set: { contactId: String(person.contact!._id) } });

    const byPage: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const body = (await api(`/feedbacks?pageSize=2&page=${page}`, person.token)).body;
      expect(body.total).toBe(6);
      byPage.push(...ids(body));
    }
    expect(byPage).toEqual([...submitted].reverse());
    const byCursor: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body: { items: Array<{ id: string }>; nextCursor: string | null } = (await api(`/feedbacks?pageSize=2&page=${pages + 1}${cursor ? `&cursor=${cursor}` : ''}`, person.token)).body;
      byCursor.push(...ids(body));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor && pages < 5);
    expect(byCursor).toEqual(byPage);
    // The colleague (same contact) sees the contact's five, not the one for the other contact.
    expect((await api('/feedbacks?pageSize=10', colleague.token)).body.total).toBe(5);
    expect((await api('/feedbacks?pageSize=10&status=completed', person.token)).body.total).toBe(0);
  });
});

describe('list fields migration', () => {
  let customerId: mongoose.Types.ObjectId;
  const raw = (name: string) => mongoose.connection.collection(name);

  beforeAll(async () => {
    customerId = new mongoose.Types.ObjectId();
    await raw('customers').insertOne({ _id: customerId, code: unique('OLD'), name: '旧客户', region: '杭州', department: 'dept-old', createdAt: new Date() });
  });

  it('fills overdueAt, departments and collaborations for earlier data, once, idempotently', async () => {
    const requestedBy = new Date('2026-01-02T03:00:00Z');
    const base = { clientRequestId: randomUUID(), wechatUserId: 'old-user', customerId: String(customerId), contactId: 'c', type: 'repair', description: '旧', contactPhone: '13800000000', department: '', createdAt: new Date() };
    const open = new mongoose.Types.ObjectId();
    const closed = new mongoose.Types.ObjectId();
    await raw('feedbacks').insertMany([
      { ...base, _id: open, number: unique('FWOLD-'), clientRequestId: randomUUID(), status: 'dispatched', requestedBy },
      { ...base, _id: closed, number: unique('FWOLD-'), clientRequestId: randomUUID(), status: 'completed', requestedBy },
    ]);
    const contact = new mongoose.Types.ObjectId();
    const product = new mongoose.Types.ObjectId();
    await raw('contacts').insertOne({ _id: contact, customerId, name: '旧联系人', phone: '13900000000' });
    await raw('product_archives').insertOne({ _id: product, customerId, serialNumber: unique('SNOLD'), model: 'm', productLine: '空调' });
    const order = new mongoose.Types.ObjectId();
    await raw('work_orders').insertOne({ _id: order, feedbackId: String(open), assigneeId: 'eng-a', collaboratorIds: ['eng-b', 'eng-c'], status: 'pending', dispatchedAt: new Date() });

    // Ran at this server's start already: nothing to do until the marker is gone.
    expect((await migrateListFields()).ran).toBe(false);
    await raw('migrations').deleteOne({ _id: LIST_FIELDS_MIGRATION as never });
    const first = await migrateListFields();
    expect(first.ran).toBe(true);
    expect(first.updated.feedbacks).toBeGreaterThanOrEqual(2);
    expect(first.updated.work_order_collaborations).toBe(2);
    expect((await Feedback.findById(open).lean())!.overdueAt).toEqual(requestedBy);
    expect((await Feedback.findById(closed).lean())!.overdueAt).toEqual(NEVER_OVERDUE);
    expect((await Contact.findById(contact).lean())!.department).toBe('dept-old');
    expect((await ProductArchive.findById(product).lean())!.department).toBe('dept-old');
    expect((await WorkOrderCollaboration.find({ orderId: String(order) }).lean()).map((c) => c.staffId).sort()).toEqual(['eng-b', 'eng-c']);

    // Run again (another process, or a run cut short before its marker): the same result, no writes.
    await raw('migrations').deleteOne({ _id: LIST_FIELDS_MIGRATION as never });
    const again = await migrateListFields();
    expect(again.updated).toEqual({ feedbacks: 0, contacts: 0, product_archives: 0, work_order_collaborations: 0 });
    expect(await WorkOrderCollaboration.countDocuments({ orderId: String(order) })).toBe(2);
    expect(await WorkOrder.countDocuments({ _id: order })).toBe(1);
  });
});

describe('query plans (embedded database)', () => {
  // SQLite's plan as the patched FerretDB reports it; MongoDB answers another shape (skipped there).
  const planOf = async (query: { explain(): Promise<unknown> }) => JSON.stringify((await query.explain()) as object);
  const usesIndex = (plan: string, index: string) => {
    if (!plan.includes('"Plan"')) return;
    expect(plan).toMatch(new RegExp(`USING (COVERING )?INDEX \\w+?_${index}(?![\\w-])`));
    expect(plan).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
  };

  it('serves the lists from indexes, in order', async () => {
    const now = new Date();
    const newest = { createdAt: -1 as const, _id: -1 as const };
    usesIndex(await planOf(Feedback.find({ overdueAt: { $lt: now } }).sort(newest).limit(20)), 'createdAt_-1(_overdueAt_1)?');
    usesIndex(await planOf(Feedback.find({ overdueAt: { $gte: now } }).sort(newest).limit(20)), 'createdAt_-1(_overdueAt_1)?');
    usesIndex(await planOf(Feedback.find({}).sort({ number: 1, _id: 1 }).limit(20)), 'number_1__id_1');
    usesIndex(await planOf(Feedback.find({}).sort({ requestedBy: 1, _id: 1 }).limit(20)), 'requestedBy_1__id_1');
    usesIndex(await planOf(Feedback.find({ type: 'repair' }).sort(newest).limit(20)), 'type_1_createdAt_-1');
    usesIndex(await planOf(Feedback.find({ region: '杭州', productLine: '空调' }).sort(newest).limit(20)), 'region_1_productLine_1_createdAt_-1');
    usesIndex(await planOf(Feedback.find({ contactId: 'k' }).sort(newest).limit(20)), 'contactId_1_createdAt_-1');
    usesIndex(await planOf(Contact.find({ department: 'd' }).sort(newest).limit(20)), 'department_1_createdAt_-1');
    usesIndex(await planOf(ProductArchive.find({ department: 'd' }).sort(newest).limit(20)), 'department_1_createdAt_-1');
    usesIndex(await planOf(WorkOrder.find({ assigneeId: 'e', status: 'pending' }).sort({ dispatchedAt: -1, _id: -1 }).limit(20)), 'assigneeId_1_status_1_dispatchedAt_-1');
    usesIndex(await planOf(WorkOrderCollaboration.find({ staffId: 'e' })), 'staffId_1');
  });
});
