// The 线索 list: filters, search, paging, assignment to an active salesperson, status changes,
// and who sees what — sales their own, managers (and admin) all, marketers the campaign leads.
import { beforeAll, describe, expect, it } from 'vitest';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { shareTokenOf } from '../../src/modules/spread/lookup.service.js';
import { createCampaignFixture } from '../helpers/campaigns.js';
import { adminToken, createStaffMember, unique } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((s) => void (server = s));

type Staff = Awaited<ReturnType<typeof createStaffMember>>;
let manager: Staff;
let marketer: Staff;
let sales: Staff;
let otherSales: Staff;
let campaignId: string;
const leadIds: string[] = [];

async function intent(name: string, company: string, phone: string, s?: string) {
  const visitorId = unique('v-').replace(/[^A-Za-z0-9_-]/g, '');
  const view = await call(server.url, '/api/v1/track/view', { body: { campaignId, visitorId, ...(s ? { s } : {}) } });
  const answer = await call(server.url, `/api/v1/campaigns/${campaignId}/intents`, { body: { s: view.body.shareToken, visitorId, name, phone, company, products: ['中央空调'] } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.leadId as string;
}

beforeAll(async () => {
  manager = await createStaffMember('manager');
  marketer = await createStaffMember('marketer');
  sales = await createStaffMember('sales', { name: '钱销售' });
  otherSales = await createStaffMember('sales', { name: '孙销售' });
  campaignId = (await createCampaignFixture({ createdBy: marketer.id })).id;
  leadIds.push(await intent('周先生', '宁波港务', '13700000001'));
  leadIds.push(await intent('吴女士', '温州鞋业', '13700000002'));
  // Through a staff hand-out: the lead belongs to that salesperson from the start.
  const handOut = await shareTokenOf(campaignId, { kind: 'staff', id: sales.id });
  leadIds.push(await intent('郑总', '台州汽配', '13700000003', handOut));
  // A lead from elsewhere (not a campaign): marketers do not see it.
  const manual = await Lead.create({ name: '王先生', company: '手工录入公司', phone: '13700000004', source: 'manual' });
  leadIds.push(String(manual._id));
});

const list = (token: string, query = '') => call(server.url, `/api/v1/leads${query}`, { token });

describe('GET /leads', () => {
  it('lists all leads for a manager, newest first, with filters, search and paging', async () => {
    const all = await list(manager.token);
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(4);
    expect(all.body.items.map((lead: { id: string }) => lead.id)).toEqual([...leadIds].reverse());
    expect((await list(manager.token, '?source=campaign')).body.total).toBe(3);
    expect((await list(manager.token, `?campaignId=${campaignId}&status=assigned`)).body.items.map((l: { name: string }) => l.name)).toEqual(['郑总']);
    expect((await list(manager.token, `?ownerId=${sales.id}`)).body.total).toBe(1);
    expect((await list(manager.token, `?q=${encodeURIComponent('温州')}`)).body.items.map((l: { name: string }) => l.name)).toEqual(['吴女士']);
    expect((await list(manager.token, '?q=13700000001')).body.items.map((l: { name: string }) => l.name)).toEqual(['周先生']);
    expect((await list(manager.token, `?q=${encodeURIComponent('.*')}`)).body.total).toBe(0);
    const page2 = await list(manager.token, '?page=2&pageSize=3');
    expect(page2.body).toMatchObject({ total: 4, page: 2, pageSize: 3 });
    expect(page2.body.items).toHaveLength(1);
    expect((await list(manager.token, '?status=bogus')).status).toBe(400);
    expect((await list(await adminToken(server))).body.total).toBe(4);
  });

  it('shows a salesperson only their own leads, a marketer the campaign leads, others nothing', async () => {
    const own = await list(sales.token);
    expect(own.body.items.map((lead: { name: string; ownerName: string }) => [lead.name, lead.ownerName])).toEqual([['郑总', '钱销售']]);
    expect((await list(otherSales.token)).body.total).toBe(0);
    expect((await call(server.url, `/api/v1/leads/${leadIds[0]}`, { token: sales.token })).status).toBe(404);
    expect((await list(marketer.token)).body.total).toBe(3);
    expect((await call(server.url, `/api/v1/leads/${leadIds[3]}`, { token: marketer.token })).status).toBe(404);
    const engineer = await createStaffMember('engineer');
    expect((await list(engineer.token)).status).toBe(403);
    expect((await call(server.url, '/api/v1/leads')).status).toBe(401);
  });
});

describe('assign and status', () => {
  it('assigns to an active salesperson only, by a manager; the lead becomes 已分配', async () => {
    const path = `/api/v1/leads/${leadIds[0]}/assign`;
    const assigned = await call(server.url, path, { token: manager.token, body: { ownerId: otherSales.id } });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(assigned.body).toMatchObject({ ownerId: otherSales.id, ownerName: '孙销售', status: 'assigned' });
    expect((await list(otherSales.token)).body.total).toBe(1);

    const inactive = await createStaffMember('sales', { active: false });
    for (const ownerId of [marketer.id, inactive.id, '0123456789abcdef01234567']) {
      const refused = await call(server.url, path, { token: manager.token, body: { ownerId } });
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('INVALID_LEAD_OWNER');
    }
    expect((await call(server.url, path, { token: marketer.token, body: { ownerId: sales.id } })).status).toBe(403);
    expect((await call(server.url, path, { token: sales.token, body: { ownerId: sales.id } })).status).toBe(403);
  });

  it('changes the status: the owner or a manager; an unassigned lead cannot be followed up; 转化 and 关闭 only by their actions', async () => {
    const patch = (id: string, token: string, status: string) => call(server.url, `/api/v1/leads/${id}`, { method: 'PATCH', token, body: { status } });
    expect((await patch(leadIds[0]!, otherSales.token, 'following')).body.status).toBe('following');
    expect((await patch(leadIds[0]!, sales.token, 'assigned')).status).toBe(404);
    expect((await patch(leadIds[0]!, marketer.token, 'assigned')).status).toBe(403);
    // Marked converted without a customer, or closed without a reason: refused, the lead unchanged.
    for (const status of ['converted', 'closed']) {
      const refused = await patch(leadIds[0]!, manager.token, status);
      expect(refused.status).toBe(400);
      expect(refused.body.error.code).toBe('LEAD_STATUS_ACTION');
    }
    expect((await call(server.url, `/api/v1/leads/${leadIds[0]}`, { token: manager.token })).body.status).toBe('following');
    const unassigned = await patch(leadIds[1]!, manager.token, 'following');
    expect(unassigned.status).toBe(400);
    expect(unassigned.body.error.code).toBe('LEAD_NOT_ASSIGNED');
    expect((await patch(leadIds[1]!, manager.token, 'lost')).status).toBe(400);
  });
});

describe('campaign leads and the duplicate check', () => {
  it('a lead from an intent carries duplicate keys: a hand-made lead with its phone is refused', async () => {
    const found = await call(server.url, '/api/v1/duplicates/check', { token: manager.token, body: { phone: '+86 137-0000-0002' } });
    expect(found.body.matches.map((m: { id: string }) => m.id)).toEqual([leadIds[1]]);
    const refused = await call(server.url, '/api/v1/leads', { token: otherSales.token, body: { name: '某人', phone: '13700000002' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('LEAD_DUPLICATE');
  });
});

