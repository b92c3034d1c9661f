// Department scope on every record type: staff of two sibling departments (杭州, 宁波) and of their
// parent (华东), each record type, list / detail / edit → 200 for those whose subtree holds the
// record, 404 (or "not listed") for the others, 403 for roles that never may. Admin sees all.
// Sales see the customers they own (or share) rather than their department's: the 杭州 customer
// here is owned by salesA (customer-visibility.ts; server/test/customers/pool.test.ts has the rest).
import { describe, expect, it } from 'vitest';
import type { StaffRole } from '@qiao/shared';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { dispatchFeedback } from '../../src/modules/service/dispatch.service.js';
import { submitFeedback } from '../../src/modules/service/feedback.service.js';
import { rateFeedback } from '../../src/modules/service/rating.service.js';
import { recordVisit } from '../../src/modules/service/visit.service.js';
import { acceptWorkOrder, completeWorkOrder } from '../../src/modules/service/work-order.service.js';
import {
  adminToken,
  createContact,
  createCustomer,
  createEngineer,
  createProduct,
  day,
  staffSession,
  unique,
  verifiedCustomerSession,
} from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { feedbackInput, recordingDeps, viewerOf, visitInput } from '../service/scenario.js';

let server: TestServer;
const dept = { east: '', hangzhou: '', ningbo: '' };
const callers = ['dispatcherA', 'salesA', 'managerParent', 'dispatcherB', 'salesB', 'admin', 'engineer'] as const;
type Caller = (typeof callers)[number];
const tokens = {} as Record<Caller, string>;
let salesAId = '';
let engineer: Awaited<ReturnType<typeof createEngineer>>;

/** A customer of 杭州 with a contact, a device and a (verified) WeChat user of that contact. */
async function hangzhouCustomer() {
  const customer = await createCustomer({ name: unique('杭州客户'), department: dept.hangzhou });
  const contact = await createContact(customer, { name: unique('联系人') });
  const product = await createProduct(customer, { model: unique('M-') });
  const session = await verifiedCustomerSession({ customer, contact });
  return { customer, contact, product, session };
}
let world: Awaited<ReturnType<typeof hangzhouCustomer>>;

async function submitted(of = world) {
  const { detail } = await submitFeedback(of.session.wechatUserId, feedbackInput({ description: unique('空调不制冷') }));
  return detail;
}

/** A request of the 杭州 customer, rated 1 star: it has an open follow-up (回访). */
async function rated(of = world) {
  const deps = recordingDeps();
  const detail = await submitted(of);
  const dispatched = await dispatchFeedback({ kind: 'staff', staffId: 'admin', role: 'admin', department: null }, detail.id, { engineerId: engineer.id, note: '' }, deps);
  const orderId = dispatched.workOrder!.id;
  await acceptWorkOrder(viewerOf(engineer), orderId, deps);
  await recordVisit(viewerOf(engineer), orderId, visitInput());
  await completeWorkOrder(viewerOf(engineer), orderId, '已修复', deps);
  await rateFeedback({ kind: 'customer', wechatUserId: of.session.wechatUserId }, detail.id, { timeliness: 1, attitude: 1, quality: 1, comment: '差' });
  return detail;
}

useTestServer(async (started) => {
  server = started;
  const admin = await adminToken(server);
  const create = async (name: string, parentId: string | null) =>
    (await call(server.url, '/api/v1/departments', { token: admin, body: { name, parentId } })).body.id as string;
  dept.east = await create(unique('华东'), null);
  dept.hangzhou = await create('杭州', dept.east);
  dept.ningbo = await create('宁波', dept.east);
  const session = async (role: StaffRole, department: string) => (await staffSession(server, role, { department })).token;
  Object.assign(tokens, {
    dispatcherA: await session('dispatcher', dept.hangzhou),
    salesA: '',
    managerParent: await session('manager', dept.east),
    dispatcherB: await session('dispatcher', dept.ningbo),
    salesB: await session('sales', dept.ningbo),
    admin,
  });
  const salesA = await staffSession(server, 'sales', { department: dept.hangzhou });
  tokens.salesA = salesA.token;
  salesAId = salesA.id;
  engineer = await createEngineer({ department: dept.hangzhou });
  tokens.engineer = engineer.token;
  world = await hangzhouCustomer();
  await Customer.updateOne({ _id: world.customer._id }, { $set: { ownerId: salesAId } });
});

const api = (path: string, token: string, options: { method?: string; body?: unknown } = {}) => call(server.url, `/api/v1${path}`, { token, ...options });

type Expected = 200 | 403 | 404 | 'listed' | 'unlisted';
/** Who sees a 杭州 record kept by the customer area (customers, contacts, devices). */
const CUSTOMER_AREA = { dispatcherA: 200, salesA: 200, managerParent: 200, dispatcherB: 404, salesB: 404, admin: 200, engineer: 403 } as const;
const CUSTOMER_AREA_LIST = { dispatcherA: 'listed', salesA: 'listed', managerParent: 'listed', dispatcherB: 'unlisted', salesB: 'unlisted', admin: 'listed', engineer: 403 } as const;
/** Service requests and follow-ups: dispatchers and managers by subtree; sales may not. */
const SERVICE_AREA = { dispatcherA: 200, salesA: 403, managerParent: 200, dispatcherB: 404, salesB: 403, admin: 200, engineer: 404 } as const;
/** Dispatcher actions: engineers may not call them at all. */
const SERVICE_ACTION = { ...SERVICE_AREA, engineer: 403 } as const;
const SERVICE_AREA_LIST = { dispatcherA: 'listed', salesA: 403, managerParent: 'listed', dispatcherB: 'unlisted', salesB: 403, admin: 'listed', engineer: 403 } as const;

interface Cell {
  name: string;
  /** The request, for a record prepared for this cell (fresh ones where the call changes state). */
  request: () => Promise<{ method?: string; path: string; body?: unknown; listedId?: string }>;
  expect: Record<Caller, Expected>;
}

const customerBody = () => ({ name: world.customer.name, region: '杭州', department: dept.hangzhou });
const cells: Cell[] = [
  { name: 'customers: list + search', request: async () => ({ path: `/customers?q=${encodeURIComponent(world.customer.name)}`, listedId: String(world.customer._id) }), expect: CUSTOMER_AREA_LIST },
  { name: 'customers: detail', request: async () => ({ path: `/customers/${world.customer._id}` }), expect: CUSTOMER_AREA },
  { name: 'customers: edit', request: async () => ({ method: 'PUT', path: `/customers/${world.customer._id}`, body: customerBody() }), expect: CUSTOMER_AREA },
  { name: 'contacts: list + search', request: async () => ({ path: `/contacts?q=${encodeURIComponent(world.contact.name)}`, listedId: String(world.contact._id) }), expect: CUSTOMER_AREA_LIST },
  { name: 'contacts: list of the customer', request: async () => ({ path: `/contacts?customerId=${world.customer._id}`, listedId: String(world.contact._id) }), expect: CUSTOMER_AREA_LIST },
  { name: 'contacts: detail', request: async () => ({ path: `/contacts/${world.contact._id}` }), expect: CUSTOMER_AREA },
  {
    name: 'contacts: edit',
    request: async () => ({ method: 'PUT', path: `/contacts/${world.contact._id}`, body: { customerId: String(world.customer._id), name: world.contact.name, phone: world.contact.phone } }),
    expect: CUSTOMER_AREA,
  },
  { name: 'products: list + search', request: async () => ({ path: `/products?q=${encodeURIComponent(world.product.model)}`, listedId: String(world.product._id) }), expect: CUSTOMER_AREA_LIST },
  { name: 'products: detail', request: async () => ({ path: `/products/${world.product._id}` }), expect: CUSTOMER_AREA },
  {
    name: 'products: edit',
    request: async () => ({
      method: 'PUT',
      path: `/products/${world.product._id}`,
      body: { serialNumber: world.product.serialNumber, model: world.product.model, productLine: '空调', customerId: String(world.customer._id), installedAt: day(-100), warrantyEndsAt: day(200) },
    }),
    expect: CUSTOMER_AREA,
  },
  {
    name: 'service requests: list + search',
    request: async () => {
      const detail = await submitted();
      return { path: `/feedbacks?q=${detail.number}`, listedId: detail.id };
    },
    expect: SERVICE_AREA_LIST,
  },
  { name: 'service requests: detail', request: async () => ({ path: `/feedbacks/${(await submitted()).id}` }), expect: SERVICE_AREA },
  {
    name: 'service requests: dispatch',
    request: async () => ({ method: 'POST', path: `/feedbacks/${(await submitted()).id}/dispatch`, body: { engineerId: engineer.id } }),
    expect: SERVICE_ACTION,
  },
  { name: 'follow-ups: list', request: async () => ({ path: '/follow-ups?pageSize=100', listedId: (await rated()).id }), expect: SERVICE_AREA_LIST },
  { name: 'follow-ups: close', request: async () => ({ method: 'POST', path: `/follow-ups/${(await rated()).id}/close`, body: { note: '已致电' } }), expect: SERVICE_ACTION },
];

describe('department scope matrix', () => {
  for (const cell of cells) {
    describe(cell.name, () => {
      for (const caller of callers) {
        const expected = cell.expect[caller];
        it(`${caller} → ${expected}`, async () => {
          const { method, path, body, listedId } = await cell.request();
          const response = await api(path, tokens[caller], { method, body });
          if (typeof expected === 'number') {
            expect(response.status, JSON.stringify(response.body)).toBe(expected);
            if (expected === 404) expect(response.body.error.code).toMatch(/_NOT_FOUND$/);
          } else {
            expect(response.status, JSON.stringify(response.body)).toBe(200);
            const listed = response.body.items.some((item: { id: string }) => item.id === listedId);
            expect(listed).toBe(expected === 'listed');
          }
        });
      }
    });
  }
});

describe('creating and moving records across departments', () => {
  it('a customer is created in the caller’s subtree only; an empty choice means the caller’s department', async () => {
    const outside = await api('/customers', tokens.salesA, { body: { name: unique('客户'), region: '宁波', department: dept.ningbo } });
    expect(outside.status).toBe(403);
    expect(outside.body.error).toEqual({ code: 'DEPARTMENT_OUT_OF_SCOPE', message: '只能把客户归入您所在部门或其下级部门' });
    const parent = await api('/customers', tokens.salesA, { body: { name: unique('客户'), region: '杭州', department: dept.east } });
    expect(parent.status).toBe(403);

    const own = await api('/customers', tokens.salesA, { body: { name: unique('客户'), region: '杭州' } });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ department: dept.hangzhou, departmentName: '杭州' });
    const below = await api('/customers', tokens.managerParent, { body: { name: unique('客户'), region: '宁波', department: dept.ningbo } });
    expect(below.status).toBe(201);
    expect(below.body.departmentName).toBe('宁波');

    // Moving it out of one's subtree is refused too; the manager above both may.
    const move = { name: own.body.name, region: '宁波', department: dept.ningbo };
    expect((await api(`/customers/${own.body.id}`, tokens.salesA, { method: 'PUT', body: move })).status).toBe(403);
    expect((await api(`/customers/${own.body.id}`, tokens.managerParent, { method: 'PUT', body: move })).status).toBe(200);
    // Sales see by owner, not department: salesA still owns it, salesB (宁波) does not.
    expect((await api(`/customers/${own.body.id}`, tokens.dispatcherA)).status).toBe(404);
    expect((await api(`/customers/${own.body.id}`, tokens.dispatcherB)).status).toBe(200);
    expect((await api(`/customers/${own.body.id}`, tokens.salesA)).status).toBe(200);
    expect((await api(`/customers/${own.body.id}`, tokens.salesB)).status).toBe(404);

    const unknown = await api('/customers', tokens.admin, { body: { name: unique('客户'), region: '杭州', department: '0123456789abcdef01234567' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('DEPARTMENT_NOT_FOUND');
    expect((await api('/customers', tokens.admin, { body: { name: 'x', region: 'y', department: '华东' } })).status).toBe(400);
  });

  it('a customer moved to another department takes its service requests and follow-ups along', async () => {
    const moving = await hangzhouCustomer();
    const request = await rated(moving);
    const body = { name: moving.customer.name, region: '宁波', department: dept.ningbo };
    expect((await api(`/customers/${moving.customer._id}`, tokens.managerParent, { method: 'PUT', body })).status).toBe(200);
    expect((await api(`/feedbacks/${request.id}`, tokens.dispatcherB)).status).toBe(200);
    expect((await api(`/feedbacks/${request.id}`, tokens.dispatcherA)).status).toBe(404);
    const followUps = async (caller: Caller) =>
      ((await api('/follow-ups?pageSize=100', tokens[caller])).body.items as Array<{ feedbackId: string }>).some((f) => f.feedbackId === request.id);
    expect(await followUps('dispatcherB')).toBe(true);
    expect(await followUps('dispatcherA')).toBe(false);
  });

  it('contacts and devices cannot be attached to a customer out of scope', async () => {
    const ningbo = await api('/customers', tokens.salesB, { body: { name: unique('宁波客户'), region: '宁波' } });
    const contact = await api('/contacts', tokens.salesA, { body: { customerId: ningbo.body.id, name: '王五', phone: '13700137000' } });
    expect(contact.status).toBe(404);
    expect(contact.body.error.code).toBe('CUSTOMER_NOT_FOUND');
    const product = await api('/products', tokens.dispatcherA, {
      body: { serialNumber: unique('SN-'), model: 'X', productLine: '空调', customerId: ningbo.body.id, installedAt: day(-1), warrantyEndsAt: day(10) },
    });
    expect(product.status).toBe(404);
    // Moving our own contact to their customer is refused as well.
    const move = { customerId: ningbo.body.id, name: world.contact.name, phone: world.contact.phone };
    expect((await api(`/contacts/${world.contact._id}`, tokens.salesA, { method: 'PUT', body: move })).status).toBe(404);
    expect((await api(`/contacts/${world.contact._id}`, tokens.salesA)).body.customerId).toBe(String(world.customer._id));
  });

  it('staff lists show the caller’s subtree with department names', async () => {
    const list = async (caller: Caller) =>
      ((await api('/staff?pageSize=100', tokens[caller])).body.items as Array<{ id: string; department: string; departmentName: string }>);
    const ofA = await list('dispatcherA');
    expect(ofA.length).toBeGreaterThan(0);
    expect(ofA.every((member) => member.department === dept.hangzhou && member.departmentName === '杭州')).toBe(true);
    const ofParent = await list('managerParent');
    expect(new Set(ofParent.map((member) => member.departmentName))).toEqual(new Set(['杭州', '宁波', ofParent.find((m) => m.department === dept.east)!.departmentName]));
    expect((await list('admin')).some((member) => member.department === '')).toBe(true);
  });
});
