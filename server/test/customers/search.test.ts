// Search through the API on the real database: customers, contacts, devices and service requests
// found from their search keys (lib/search.ts) — Chinese substrings, phones however typed, partial
// serial numbers, a request found by its customer, contact, phone or device — within the caller's
// department scope; keys kept in step with edits and deletes; the backfill of older data; and the
// lookups served by indexes on the embedded database (the plan says so).
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { migrateSearchTerms, rebuildSearchTerms } from '../../src/db/migrations/search-terms.js';
import { SearchTerm, startingWith, withinList } from '../../src/lib/search.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { submitFeedback } from '../../src/modules/service/feedback.service.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { adminToken, createContact, createCustomer, createProduct, staffSession, uniquePhone, verifiedCustomerSession } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { feedbackInput } from '../service/scenario.js';

let server: TestServer;
const tokens = { admin: '', dispatcherA: '', dispatcherB: '' };

type Page = { items: Array<{ id: string; name?: string; number?: string }>; total: number; totalCapped?: boolean };
const ids = (page: Page) => page.items.map((item) => item.id).sort();
async function search(path: string, q: string, token = tokens.admin, extra = ''): Promise<Page> {
  const response = await call<Page>(server.url, `/api/v1/${path}?q=${encodeURIComponent(q)}&pageSize=100${extra}`, { token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** A customer with a contact, a device and two requests (submitted through the service). */
async function customerWithRequests(department: string, names: { customer: string; contact: string; serial: string; phone: string }) {
  const customer = await createCustomer({ name: names.customer, department });
  await Customer.updateOne({ _id: customer._id }, { $set: { phone: '0571-8888 6666' } });
  const contact = await createContact(customer, { name: names.contact, phone: names.phone });
  const product = await createProduct(customer, { model: 'KFR-35GW' });
  await mongoose.connection.collection('product_archives').updateOne({ _id: product._id }, { $set: { serialNumber: names.serial } });
  const session = await verifiedCustomerSession({ customer, contact });
  const requests = [];
  for (let i = 0; i < 2; i += 1) {
    const { detail } = await submitFeedback(session.wechatUserId, feedbackInput({ productArchiveId: i === 0 ? String(product._id) : null, contactPhone: names.phone }));
    requests.push(detail);
  }
  return { customer, contact, product, requests };
}

let east: Awaited<ReturnType<typeof customerWithRequests>>;
let west: Awaited<ReturnType<typeof customerWithRequests>>;
const eastPhone = uniquePhone();
const departments = { a: '', b: '' };

useTestServer(async (started) => {
  server = started;
  tokens.admin = await adminToken(server);
  const department = async (name: string) => (await call(server.url, '/api/v1/departments', { token: tokens.admin, body: { name, parentId: null } })).body.id as string;
  const [a, b] = [await department('服务甲部'), await department('服务乙部')];
  Object.assign(departments, { a, b });
  tokens.dispatcherA = (await staffSession(server, 'dispatcher', { department: a })).token;
  tokens.dispatcherB = (await staffSession(server, 'dispatcher', { department: b })).token;
  east = await customerWithRequests(a, { customer: '杭州蓝鲸科技有限公司', contact: '王小明', serial: 'SN-AB1234-5678', phone: eastPhone });
  west = await customerWithRequests(b, { customer: '宁波蓝鲸海洋工程有限公司', contact: '李小红', serial: 'SN-CD9876-4321', phone: uniquePhone() });
  // Products need their keys again: the serial numbers were set behind the service's back.
  await rebuildSearchTerms();
});

describe('customers, contacts and devices', () => {
  it('finds customers by a Chinese substring of the name, however it is spaced or bracketed', async () => {
    expect(ids(await search('customers', '蓝鲸'))).toEqual([String(east.customer._id), String(west.customer._id)].sort());
    for (const q of ['鲸科技', '蓝鲸 科技', '（杭州）蓝鲸', '有限公司']) {
      expect((await search('customers', q)).items.map((c) => c.id), q).toContain(String(east.customer._id));
    }
    expect((await search('customers', '鲸科技')).total).toBe(1);
    // By code (start and end) and by phone (its last digits).
    expect(ids(await search('customers', east.customer.code))).toEqual([String(east.customer._id)]);
    expect(ids(await search('customers', east.customer.code.slice(-5)))).toEqual([String(east.customer._id)]);
    expect(ids(await search('customers', '8888 6666'))).toEqual([String(east.customer._id), String(west.customer._id)].sort());
  });

  it('answers an empty page when nothing matches, and treats regex characters as text', async () => {
    for (const q of ['蓝鲸化工', '.*', '^$', 'zzzz']) {
      expect(await search('customers', q), q).toMatchObject({ items: [], total: 0, totalCapped: false });
    }
    expect(await search('feedbacks', '蓝鲸化工')).toMatchObject({ items: [], total: 0 });
  });

  it('finds contacts by name and by phone in any format: start or last digits', async () => {
    const spaced = `${eastPhone.slice(0, 3)} ${eastPhone.slice(3, 7)} ${eastPhone.slice(7)}`;
    for (const q of [spaced, `+86 ${eastPhone.slice(0, 3)}-${eastPhone.slice(3, 7)}-${eastPhone.slice(7)}`, eastPhone.slice(0, 7), eastPhone.slice(-4), '小明']) {
      expect(ids(await search('contacts', q)), q).toContain(String(east.contact._id));
    }
    expect(ids(await search('contacts', eastPhone))).toEqual([String(east.contact._id)]);
    expect((await search('contacts', '王小红')).total).toBe(0);
  });

  it('finds devices by partial serial number (start or end), model, and the customer name', async () => {
    for (const q of ['SN-AB12', 'sn ab1234', '5678', '1234-5678', '杭州蓝鲸']) {
      expect(ids(await search('products', q)), q).toEqual([String(east.product._id)]);
    }
    expect((await search('products', 'kfr-35')).total).toBe(2);
    expect((await search('products', '34-56')).total).toBe(0);
  });

  it('keeps customers of other departments out of a dispatcher search', async () => {
    expect(ids(await search('customers', '蓝鲸', tokens.dispatcherB))).toEqual([String(west.customer._id)]);
    expect((await search('contacts', '王小明', tokens.dispatcherB)).total).toBe(0);
  });
});

describe('service requests', () => {
  const requestIds = (of: typeof east) => of.requests.map((r) => r.id).sort();

  it('finds a request by its customer, contact, phone, device serial, and number', async () => {
    expect(ids(await search('feedbacks', '蓝鲸科技'))).toEqual(requestIds(east));
    expect(ids(await search('feedbacks', '王小明'))).toEqual(requestIds(east));
    expect(ids(await search('feedbacks', `${eastPhone.slice(0, 3)} ${eastPhone.slice(3, 7)} ${eastPhone.slice(7)}`))).toEqual(requestIds(east));
    // Only the request about the device.
    expect(ids(await search('feedbacks', '5678'))).toEqual([east.requests[0]!.id]);
    const [first] = east.requests;
    const digits = first!.number.replace(/\D/g, '');
    // The whole number, its start, its digits without FW, and its last digits (date and sequence).
    for (const q of [first!.number, first!.number.toLowerCase(), digits, digits.slice(-7)]) {
      expect((await search('feedbacks', q)).items.map((r) => r.id), q).toContain(first!.id);
    }
    expect((await search('feedbacks', first!.number)).total).toBe(1);
    expect((await search('feedbacks', '蓝鲸')).total).toBe(4);
  });

  it('combines with the other filters', async () => {
    expect((await search('feedbacks', '蓝鲸科技', tokens.admin, '&status=submitted')).total).toBe(2);
    expect((await search('feedbacks', '蓝鲸科技', tokens.admin, '&status=completed')).total).toBe(0);
  });

  it('finds only requests of the dispatcher’s department scope', async () => {
    expect(ids(await search('feedbacks', '蓝鲸', tokens.dispatcherA))).toEqual(requestIds(east));
    expect(ids(await search('feedbacks', '蓝鲸', tokens.dispatcherB))).toEqual(requestIds(west));
    expect((await search('feedbacks', '王小明', tokens.dispatcherB)).total).toBe(0);
    expect((await search('feedbacks', east.requests[0]!.number, tokens.dispatcherB)).total).toBe(0);
    expect((await search('feedbacks', 'SN-AB1234', tokens.dispatcherB)).total).toBe(0);
  });
});

describe('many matches', () => {
  // Past FEW_MATCHES the scope is part of the indexed query rather than checked after the read.
  it('keep to the department scope too', async () => {
    const now = Date.now();
    const customers = Array.from({ length: 260 }, (_, i) => ({
      _id: new mongoose.Types.ObjectId(),
      code: `MANY-${i}`,
      name: `批量鹈鹕客户${i}`,
      region: '杭州',
      phone: '',
      department: i % 2 === 0 ? departments.a : departments.b,
      createdAt: new Date(now - i * 1000),
      updatedAt: new Date(now),
    }));
    await Customer.collection.insertMany(customers);
    const requests = Array.from({ length: 260 }, (_, i) => ({
      _id: new mongoose.Types.ObjectId(),
      number: `FW20250301-${String(i).padStart(4, '0')}`,
      clientRequestId: `many-${i}`,
      wechatUserId: 'many-user',
      customerId: String(east.customer._id),
      contactId: String(new mongoose.Types.ObjectId()),
      type: 'repair',
      status: 'submitted',
      description: '批量',
      contactPhone: '13800000000',
      department: i % 2 === 0 ? departments.a : departments.b,
      createdAt: new Date(now - i * 1000),
      updatedAt: new Date(now),
    }));
    await Feedback.collection.insertMany(requests);
    await rebuildSearchTerms();

    expect((await search('customers', '鹈鹕客户')).total).toBe(260);
    const scoped = await search('customers', '鹈鹕客户', tokens.dispatcherB);
    expect(scoped.total).toBe(130);
    expect(scoped.items.every((c) => Number(c.name?.replace('批量鹈鹕客户', '')) % 2 === 1)).toBe(true);
    // East's own two requests (department A) and the 130 inserted ones of each department.
    expect((await search('feedbacks', '杭州蓝鲸科技', tokens.dispatcherA)).total).toBe(132);
    const other = await search('feedbacks', '杭州蓝鲸科技', tokens.dispatcherB);
    expect(other.total).toBe(130);
    const own = new Set(requests.filter((_, i) => i % 2 === 1).map((r) => String(r._id)));
    expect(other.items.every((r) => own.has(r.id))).toBe(true);
    await Feedback.deleteMany({ wechatUserId: 'many-user' });
    await Customer.deleteMany({ code: /^MANY-/ });
    await rebuildSearchTerms();
  });
});

describe('upkeep', () => {
  it('follows a rename: the old name no longer finds the customer or its requests, the new one does', async () => {
    const customer = await createCustomer({ name: '温州白鹭电器有限公司', department: '' });
    const body = { name: '温州青鸟电器有限公司', region: '温州', code: customer.code, industry: '', grade: '', address: '', phone: '0577 1234 5678', department: '' };
    const updated = await call(server.url, `/api/v1/customers/${customer._id}`, { token: tokens.admin, method: 'PUT', body });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expect((await search('customers', '白鹭')).total).toBe(0);
    expect(ids(await search('customers', '青鸟'))).toEqual([String(customer._id)]);
    expect(ids(await search('customers', '1234 5678'))).toEqual([String(customer._id)]);
  });

  it('follows contact edits and deletes, and device serial changes', async () => {
    const created = await call(server.url, '/api/v1/contacts', { token: tokens.admin, body: { customerId: String(west.customer._id), name: '赵大伟', phone: uniquePhone() } });
    expect(created.status).toBe(201);
    expect((await search('contacts', '大伟')).total).toBe(1);
    const phone = uniquePhone();
    await call(server.url, `/api/v1/contacts/${created.body.id}`, { token: tokens.admin, method: 'PUT', body: { customerId: String(west.customer._id), name: '赵大勇', phone } });
    expect((await search('contacts', '大伟')).total).toBe(0);
    expect(ids(await search('contacts', phone.slice(-6)))).toEqual([created.body.id]);
    expect((await call(server.url, `/api/v1/contacts/${created.body.id}`, { token: tokens.admin, method: 'DELETE' })).status).toBe(204);
    expect((await search('contacts', '大勇')).total).toBe(0);
    expect(await SearchTerm.countDocuments({ ref: created.body.id })).toBe(0);

    const product = await call(server.url, '/api/v1/products', {
      token: tokens.admin,
      body: { serialNumber: 'XY-0001-AAAA', model: 'RSJ-60', productLine: '热水器', customerId: String(west.customer._id), installedAt: '2025-01-01', warrantyEndsAt: '2027-01-01', address: '' },
    });
    expect(product.status, JSON.stringify(product.body)).toBe(201);
    expect(ids(await search('products', 'xy-0001'))).toEqual([product.body.id]);
    const edited = await call(server.url, `/api/v1/products/${product.body.id}`, {
      token: tokens.admin,
      method: 'PUT',
      body: { serialNumber: 'XY-0002-BBBB', model: 'RSJ-60', productLine: '热水器', customerId: String(west.customer._id), installedAt: '2025-01-01', warrantyEndsAt: '2027-01-01', address: '' },
    });
    expect(edited.status).toBe(200);
    expect((await search('products', 'xy-0001')).total).toBe(0);
    expect(ids(await search('products', 'BBBB'))).toEqual([product.body.id]);
  });
});

describe('backfill of older data', () => {
  it('builds the keys of records written without them once, and again only for a new key version', async () => {
    const _id = new mongoose.Types.ObjectId();
    await Customer.collection.insertOne({ _id, code: 'OLD-0001', name: '旧系统导入的鸿雁贸易公司', region: '杭州', phone: '', department: '', createdAt: new Date(), updatedAt: new Date() });
    expect((await search('customers', '鸿雁贸易')).total).toBe(0);
    // The start already built the (then empty) keys: nothing to do.
    expect((await migrateSearchTerms()).rebuilt).toBe(false);
    await mongoose.connection.collection<{ _id: string }>('settings').deleteOne({ _id: 'search-terms' });
    const first = await migrateSearchTerms();
    expect(first.rebuilt).toBe(true);
    expect(first.records.customers).toBeGreaterThanOrEqual(4);
    expect(ids(await search('customers', '鸿雁贸易'))).toEqual([String(_id)]);
    expect(ids(await search('feedbacks', '蓝鲸科技'))).toEqual(east.requests.map((r) => r.id).sort());
    // Idempotent: a second rebuild gives the same entries.
    const entries = await SearchTerm.countDocuments({});
    await rebuildSearchTerms();
    expect(await SearchTerm.countDocuments({})).toBe(entries);
    expect((await migrateSearchTerms()).rebuilt).toBe(false);
  });
});

describe('on the embedded database', () => {
  const plan = (explained: unknown) => JSON.stringify((explained as { queryPlanner?: unknown }).queryPlanner ?? explained);
  // With MONGODB_URI the tests run on MongoDB, whose plans read differently.
  const embedded = () => !process.env.MONGODB_URI;

  it('looks keys up by an index range, and records by indexed $in (pushed down, no scan)', async () => {
    if (!embedded()) return;
    const keys = plan(await SearchTerm.find({ key: startingWith('cn:蓝鲸') }, { ref: 1 }).limit(5001).explain());
    expect(keys).toMatch(/USING (COVERING )?INDEX search_terms_\w+_key_1/);
    const customers = plan(await Customer.find({ _id: { $in: [east.customer._id, west.customer._id] } }).sort({ createdAt: -1, _id: -1 }).limit(20).explain());
    expect(customers).toMatch(/USING (COVERING )?INDEX customers_\w+__id_/);
    // A few matches, as requestSearchWays reads them: the department is checked after the read,
    // so SQLite walks the customerId index, not the department's (which a flat filter would pick).
    const few = withinList({ customerId: { $in: [String(east.customer._id)] } }, { department: east.customer.department }, true);
    const requests = plan(await Feedback.find(few, { _id: 1 }).limit(5000).explain());
    expect(requests).toMatch(/USING (COVERING )?INDEX feedbacks_\w+_customerId_1/);
    const page = plan(await Feedback.find({ _id: { $in: east.requests.map((r) => r.id) }, department: east.customer.department }).sort({ createdAt: -1, _id: -1 }).limit(20).explain());
    expect(page).toMatch(/USING (COVERING )?INDEX feedbacks_\w+_(_id_|department_1_createdAt_-1)/);
    expect(page).not.toMatch(/SCAN feedbacks/);
  });
});
