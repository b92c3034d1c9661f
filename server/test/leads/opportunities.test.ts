// 商机: made by conversions; listed by visibility (sales their own, managers their subtree, admin
// all) with filters; edited while open; won (the customer's deal time restarts the pool clock) or
// lost with a reason — once, even when both arrive at the same moment.
import { beforeAll, describe, expect, it } from 'vitest';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { withPoolClock } from '../../src/modules/customers/pool-clock.service.js';
import { adminToken, createStaffMember, uniquePhone } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { makeLead, newCustomerBody } from './convert-helpers.js';

/** The customer with its pool clock (kept beside it: pool-clock.service.ts). */
const clocked = async (id: string) => withPoolClock((await Customer.findById(id).lean())!);

let server: TestServer;
useTestServer((s) => void (server = s));

type Staff = Awaited<ReturnType<typeof createStaffMember>>;
let east: Staff;
let south: Staff;
let eastManager: Staff;
let admin: string;
const opportunities: Record<string, { id: string; customerId: string }> = {};

async function converted(owner: Staff, name: string, amount: number): Promise<{ id: string; customerId: string }> {
  const leadId = await makeLead({ ownerId: owner.id, campaign: true });
  const body = { ...newCustomerBody(uniquePhone()), opportunity: { name, amount, expectedCloseAt: '2026-12-31' } };
  const answer = await call(server.url, `/api/v1/leads/${leadId}/convert`, { token: owner.token, body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return { id: answer.body.opportunityId, customerId: answer.body.customerId };
}

beforeAll(async () => {
  east = await createStaffMember('sales', { name: '钱销售', department: '华东销售部' });
  south = await createStaffMember('sales', { name: '孙销售', department: '华南销售部' });
  eastManager = await createStaffMember('manager', { department: '华东销售部' });
  admin = await adminToken(server);
  opportunities.a = await converted(east, '中央空调改造', 1_234_567);
  opportunities.b = await converted(east, '热水器批量采购', 80_000_00);
  opportunities.c = await converted(south, '冷库项目', 300_000_00);
});

const list = (token: string, query = '') => call(server.url, `/api/v1/opportunities${query}`, { token });
const names = (body: { items: Array<{ name: string }> }) => body.items.map((item) => item.name);

describe('GET /opportunities', () => {
  it('shows sales their own, a manager the department subtree, admin all — newest first', async () => {
    expect(names((await list(east.token)).body)).toEqual(['热水器批量采购', '中央空调改造']);
    expect(names((await list(south.token)).body)).toEqual(['冷库项目']);
    expect(names((await list(eastManager.token)).body)).toEqual(['热水器批量采购', '中央空调改造']);
    const all = await list(admin);
    expect(all.body.total).toBe(3);
    expect(all.body.items[0]).toMatchObject({
      name: '冷库项目',
      ownerName: '孙销售',
      customerName: '杭州蓝鲸科技有限公司',
      stage: 'open',
      amount: 300_000_00,
      expectedCloseAt: '2026-12-31',
      source: 'campaign',
    });
    expect((await list((await createStaffMember('marketer')).token)).status).toBe(403);
    expect((await list((await createStaffMember('dispatcher')).token)).status).toBe(403);
  });

  it('filters by stage, owner, customer, mine and name, with paging; a salesperson cannot list another\'s', async () => {
    expect(names((await list(admin, `?ownerId=${south.id}`)).body)).toEqual(['冷库项目']);
    expect(names((await list(admin, `?customerId=${opportunities.a!.customerId}`)).body)).toEqual(['中央空调改造']);
    expect(names((await list(admin, `?q=${encodeURIComponent('热水')}`)).body)).toEqual(['热水器批量采购']);
    expect((await list(admin, `?q=${encodeURIComponent('.*')}`)).body.total).toBe(0);
    expect((await list(admin, '?stage=open')).body.total).toBe(3);
    expect((await list(admin, '?mine=1')).body.total).toBe(0);
    expect((await list(east.token, '?mine=1')).body.total).toBe(2);
    expect((await list(east.token, `?ownerId=${south.id}`)).body.total).toBe(0);
    const page = await list(admin, '?page=2&pageSize=2');
    expect(page.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(page.body.items).toHaveLength(1);
    for (const bad of ['?stage=maybe', '?ownerId=x', '?mine=yes', '?pageSize=1000', '?amount=1']) expect((await list(admin, bad)).status).toBe(400);
  });
});

describe('GET/PATCH /opportunities/:id', () => {
  it('shows and edits an open opportunity in scope; others answer 404', async () => {
    const path = `/api/v1/opportunities/${opportunities.a!.id}`;
    expect((await call(server.url, path, { token: east.token })).body.name).toBe('中央空调改造');
    expect((await call(server.url, path, { token: south.token })).status).toBe(404);
    expect((await call(server.url, `/api/v1/opportunities/${opportunities.c!.id}`, { token: eastManager.token })).status).toBe(404);
    const edited = await call(server.url, path, { token: east.token, method: 'PATCH', body: { name: '中央空调改造（一期）', amount: 99_900, expectedCloseAt: '2027-01-15' } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ name: '中央空调改造（一期）', amount: 99_900, expectedCloseAt: '2027-01-15', stage: 'open' });
    expect((await call(server.url, path, { token: east.token, method: 'PATCH', body: { expectedCloseAt: null } })).body.expectedCloseAt).toBeNull();
    for (const body of [{ amount: 10.5 }, { amount: -1 }, { name: '' }, { expectedCloseAt: '2026-02-30' }, { stage: 'won' }]) {
      expect((await call(server.url, path, { token: east.token, method: 'PATCH', body })).status).toBe(400);
    }
    expect((await call(server.url, path, { token: south.token, method: 'PATCH', body: { name: '抢单' } })).status).toBe(404);
  });
});

describe('won and lost', () => {
  it('won: stage, close time, and the customer\'s last deal restarts the pool clock; then it is final', async () => {
    const { id, customerId } = opportunities.b!;
    expect((await clocked(customerId)).lastDealAt).toBeNull();
    const won = await call(server.url, `/api/v1/opportunities/${id}/won`, { token: east.token, method: 'POST' });
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    expect(won.body).toMatchObject({ stage: 'won', lostReason: '' });
    const customer = await clocked(customerId);
    expect(customer.lastDealAt!.toISOString()).toBe(won.body.closedAt);

    for (const [path, body] of [['won', undefined], ['lost', { reason: '预算取消' }]] as const) {
      const refused = await call(server.url, `/api/v1/opportunities/${id}/${path}`, { token: east.token, method: 'POST', body });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('OPPORTUNITY_CLOSED');
    }
    const patch = await call(server.url, `/api/v1/opportunities/${id}`, { token: east.token, method: 'PATCH', body: { amount: 1 } });
    expect(patch.body.error.code).toBe('OPPORTUNITY_CLOSED');
    expect((await list(east.token, '?stage=won')).body.items.map((o: { id: string }) => o.id)).toEqual([id]);
  });

  it('lost needs a reason; won and lost at the same moment: one of them', async () => {
    const { id, customerId } = opportunities.c!;
    expect((await call(server.url, `/api/v1/opportunities/${id}/lost`, { token: south.token, body: {} })).status).toBe(400);
    expect((await call(server.url, `/api/v1/opportunities/${id}/won`, { token: east.token, method: 'POST' })).status).toBe(404);
    const [won, lost] = await Promise.all([
      call(server.url, `/api/v1/opportunities/${id}/won`, { token: south.token, method: 'POST' }),
      call(server.url, `/api/v1/opportunities/${id}/lost`, { token: south.token, body: { reason: '客户选择了竞品' } }),
    ]);
    expect([won.status, lost.status].sort()).toEqual([200, 409]);
    const final = (await call(server.url, `/api/v1/opportunities/${id}`, { token: south.token })).body;
    const winner = won.status === 200 ? won.body : lost.body;
    expect(final).toMatchObject({ stage: winner.stage, lostReason: winner.lostReason });
    // The deal time is written exactly when the opportunity was won.
    expect((await clocked(customerId)).lastDealAt === null).toBe(final.stage === 'lost');
  });
});
