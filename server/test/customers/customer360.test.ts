// The customer 360 view (GET /customers/:id) on the real database: one fixture customer touching
// every section with known counts, the caps (latest 20 + total), and who sees what — the owner,
// another salesperson (404), a pool customer (read-only, phones masked), managers by subtree,
// dispatchers (the service side only).
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { recordOwnershipEvent, setCustomerCollaborators } from '../../src/modules/customers/ownership.service.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { Opportunity } from '../../src/modules/leads/opportunity.model.js';
import { Delivery, contactDeliveryId } from '../../src/modules/marketing/delivery.model.js';
import { createDepartment } from '../../src/modules/org/department.service.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { ShareNode } from '../../src/modules/spread/share-node.model.js';
import { shareTokenOf } from '../../src/modules/spread/lookup.service.js';
import { createCampaignFixture } from '../helpers/campaigns.js';
import { adminToken, createContact, createCustomer, createProduct, createStaffMember, unique } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((s) => void (server = s));

type Staff = Awaited<ReturnType<typeof createStaffMember>>;
let region: string;
let city: string;
let elsewhere: string;
let owner: Staff;
let helper: Staff;
let otherSales: Staff;
let manager: Staff;
let farManager: Staff;
let dispatcher: Staff;
let farDispatcher: Staff;
let admin: string;
let customerId: string;
let poolCustomerId: string;
let fromLeadId: string;
let campaign: { id: string; name: string };
const contactIds: string[] = [];
const phones: string[] = [];

const get360 = (token: string, id = customerId) => call(server.url, `/api/v1/customers/${id}`, { token });

/** `n` requests a minute apart, oldest first (index 0); `rated` gives the scores of some by index. */
async function requests(customer: string, contactId: string, n: number, rated: Record<number, [number, number, number]>) {
  const base = { wechatUserId: 'w-360', customerId: customer, contactId, type: 'repair', description: '空调不制冷', contactPhone: '13800000000' };
  const start = Date.now() - n * 60_000;
  const scoresOf = (i: number) => rated[i];
  const docs = Array.from({ length: n }, (_, i) => ({
    ...base,
    number: unique('FW360-'),
    clientRequestId: randomUUID(),
    status: scoresOf(i) ? 'completed' : 'submitted',
    completedAt: scoresOf(i) ? new Date(start + i * 60_000) : null,
    rating: scoresOf(i) ? { timeliness: scoresOf(i)![0], attitude: scoresOf(i)![1], quality: scoresOf(i)![2], comment: '', ratedAt: new Date() } : null,
    createdAt: new Date(start + i * 60_000),
    updatedAt: new Date(start + i * 60_000),
  }));
  await Feedback.insertMany(docs, { timestamps: false });
  return docs;
}

beforeAll(async () => {
  region = (await createDepartment({ name: `华东销售部-${Date.now()}`, parentId: null })).id;
  city = (await createDepartment({ name: '杭州销售组', parentId: region })).id;
  elsewhere = (await createDepartment({ name: `西南销售部-${Date.now()}`, parentId: null })).id;
  owner = await createStaffMember('sales', { name: '钱销售', department: city });
  helper = await createStaffMember('sales', { name: '孙协作', department: city });
  otherSales = await createStaffMember('sales', { name: '周销售', department: city });
  manager = await createStaffMember('manager', { name: '李经理', department: region });
  farManager = await createStaffMember('manager', { department: elsewhere });
  dispatcher = await createStaffMember('dispatcher', { department: city });
  farDispatcher = await createStaffMember('dispatcher', { department: elsewhere });
  admin = await adminToken(server);
  campaign = await createCampaignFixture({ name: '春季空调焕新' });

  // The customer, converted from a campaign lead, owned by `owner`, shared with `helper`.
  const customer = await createCustomer({ name: '杭州蓝鲸科技有限公司', department: city });
  customerId = String(customer._id);
  const fromLead = await Lead.create({
    name: '王总',
    company: '杭州蓝鲸科技',
    phone: '13900001111',
    source: 'campaign',
    status: 'converted',
    ownerId: owner.id,
    department: city,
    campaignId: campaign.id,
    campaignName: campaign.name,
    sharePath: [{ token: 'tA', kind: 'staff', ownerId: owner.id, name: '钱销售' }, { token: 'tB', kind: 'contact', ownerId: 'x', name: '赵女士' }],
    customerId,
    convertedAt: new Date(),
  });
  fromLeadId = String(fromLead._id);
  await Lead.create({ name: '王总', company: '杭州蓝鲸科技', phone: '13900001111', source: 'manual', status: 'closed', ownerId: otherSales.id, department: city, customerId });
  await Customer.updateOne(
    { _id: customerId },
    {
      $set: {
        ownerId: owner.id,
        ownerSince: new Date('2026-10-01T00:00:00Z'),
        // Followed up lately: the daily pool sweep (it runs when the server starts) must not return it.
        lastFollowUpAt: new Date(Date.now() - 86_400_000),
        phone: '0571-88886666',
        source: 'lead',
        leadId: fromLeadId,
        campaignId: campaign.id,
        campaignName: campaign.name,
        sharePath: [{ token: 'tA', kind: 'staff', ownerId: owner.id, name: '钱销售' }],
      },
    },
  );
  await setCustomerCollaborators(customerId, [helper.id]);

  // Contacts: the first verified by two WeChat identities (following on the Official Account, and the mini-program).
  for (const name of ['王总', '李工', '陈会计']) {
    const contact = await createContact(customer, { name });
    contactIds.push(String(contact._id));
    phones.push(contact.phone);
  }
  await WeChatUser.create({ _id: randomUUID(), oaOpenid: unique('oOa'), subscribed: true, subscribedAt: new Date(), lastInteractionAt: new Date(), contactId: contactIds[0] });
  await WeChatUser.create({ _id: randomUUID(), mpOpenid: unique('oMp'), subscribed: false, contactId: contactIds[0] });

  // Devices: one in warranty, one expired.
  await createProduct(customer, { model: 'KFR-72LW', warrantyEndsAt: new Date(Date.now() + 400 * 86_400_000) });
  await createProduct(customer, { model: 'KFR-35GW', warrantyEndsAt: new Date(Date.now() - 10 * 86_400_000) });

  // 25 service requests, three rated: (5,5,5), (4,4,4), (3,3,3) → average 4.
  await requests(customerId, contactIds[0]!, 25, { 0: [5, 5, 5], 1: [4, 4, 4], 2: [3, 3, 3] });

  // Opportunities: one open, one won.
  await Opportunity.create({ name: '中央空调改造', customerId, leadId: fromLeadId, ownerId: owner.id, department: city, stage: 'open', amount: 12_000_000 });
  await Opportunity.create({ name: '年度维保', customerId, ownerId: owner.id, department: city, stage: 'won', amount: 3_000_000, closedAt: new Date() });

  // The campaign went to two contacts; the first passed it on (3 people landed through them, 10 views).
  for (const contactId of contactIds.slice(0, 2)) {
    await Delivery.create({ _id: contactDeliveryId(campaign.id, contactId), campaignId: campaign.id, recipientKind: 'contact', recipientId: contactId, state: 'sent', outcome: 'sent', channel: 'mass', sentAt: new Date() });
  }
  const token = await shareTokenOf(campaign.id, { kind: 'contact', id: contactIds[0]! });
  await ShareNode.updateOne({ _id: token }, { $set: { shares: 3, views: 10, uniqueVisitors: 6, subtreeViews: 14, subtreeLeads: 1 } });

  // Ownership: created by import, then transferred to the owner.
  await recordOwnershipEvent({ customerId, kind: 'import', fromOwnerId: null, toOwnerId: otherSales.id, byStaffId: otherSales.id, department: city, at: new Date('2026-09-01T00:00:00Z') });
  await recordOwnershipEvent({ customerId, kind: 'transfer', fromOwnerId: otherSales.id, toOwnerId: owner.id, reason: '区域调整', byStaffId: manager.id, department: city, at: new Date('2026-10-01T00:00:00Z') });

  // A customer in the pool, in the same department.
  const pool = await createCustomer({ name: '宁波海风贸易', department: city });
  poolCustomerId = String(pool._id);
  await createContact(pool, { name: '海风联系人', phone: '13812345678' });
});

describe('GET /customers/:id — the 360 view', () => {
  it('answers every section with known counts for the owner', async () => {
    const follow = await call(server.url, '/api/v1/follow-records', { token: owner.token, body: { target: 'customer', customerId, kind: 'visit', note: '拜访了解改造需求' } });
    expect(follow.status, JSON.stringify(follow.body)).toBe(201);
    const answer = await get360(owner.token);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const view = answer.body;
    // Today's customer fields are all there.
    expect(view).toMatchObject({ id: customerId, name: '杭州蓝鲸科技有限公司', department: city, departmentName: '杭州销售组', contactCount: 3, productCount: 2, phone: '0571-88886666', readOnly: false });
    expect(view).toMatchObject({ ownerId: owner.id, ownerName: '钱销售', inPool: false, locked: false, ownerSince: '2026-10-01T00:00:00.000Z', collaboratorIds: [helper.id] });
    expect(view.collaborators).toEqual([{ id: helper.id, name: '孙协作' }]);
    expect(view.origin).toEqual({ source: 'lead', leadId: fromLeadId, campaignId: campaign.id, campaignName: campaign.name, sharePath: [{ name: '钱销售', kind: 'staff' }] });

    expect(view.contacts.total).toBe(3);
    const boss = view.contacts.items.find((c: { id: string }) => c.id === contactIds[0]);
    expect(boss).toMatchObject({ name: '王总', phone: phones[0], verified: true });
    expect(boss.wechat).toHaveLength(2);
    expect(boss.wechat.find((w: { officialAccount: boolean }) => w.officialAccount)).toMatchObject({ following: true, miniProgram: false });
    expect(view.contacts.items.find((c: { id: string }) => c.id === contactIds[2])).toMatchObject({ verified: false, wechat: [] });

    expect(view.devices.total).toBe(2);
    expect(view.devices.items.map((d: { model: string; warrantyState: string }) => [d.model, d.warrantyState]).sort()).toEqual([
      ['KFR-35GW', 'expired'],
      ['KFR-72LW', 'in_warranty'],
    ]);

    expect(view.requests).toMatchObject({ total: 25, ratingAverage: 4, ratedCount: 3 });
    expect(view.requests.items).toHaveLength(20);
    // Newest first: the last three of the 25 are unrated, the rated ones are the oldest.
    expect(view.requests.items[0].status).toBe('submitted');
    const times = view.requests.items.map((r: { createdAt: string }) => r.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    expect(view.leads.total).toBe(2);
    expect(view.leads.items[0]).toMatchObject({ id: fromLeadId, convertedFrom: true, campaignName: campaign.name, ownerName: '钱销售', phone: '13900001111' });
    expect(view.leads.items[0].sharePath.map((p: { name: string }) => p.name)).toEqual(['钱销售', '赵女士']);

    expect(view.opportunities.total).toBe(2);
    expect(view.opportunities.items.map((o: { name: string; stage: string; amount: number }) => [o.name, o.stage, o.amount]).sort()).toEqual([
      ['中央空调改造', 'open', 12_000_000],
      ['年度维保', 'won', 3_000_000],
    ]);

    expect(view.campaignsReceived.total).toBe(2);
    expect(view.campaignsReceived.items.every((c: { campaignName: string; state: string }) => c.campaignName === campaign.name && c.state === 'sent')).toBe(true);
    expect(view.campaignsShared).toEqual({
      total: 1,
      items: [{ campaignId: campaign.id, campaignName: campaign.name, contactId: contactIds[0], contactName: '王总', shares: 3, views: 10, uniqueVisitors: 6, subtreeViews: 14, leads: 1 }],
    });

    expect(view.followRecords.total).toBe(1);
    expect(view.followRecords.items[0]).toMatchObject({ note: '拜访了解改造需求', authorName: '钱销售' });
    // The follow-up restarted the pool clock, shown in the header.
    expect(view.lastFollowUpAt).toBe(view.followRecords.items[0].createdAt);

    expect(view.ownership.total).toBe(2);
    expect(view.ownership.items.map((e: { kind: string; toOwnerName: string }) => [e.kind, e.toOwnerName])).toEqual([
      ['transfer', '钱销售'],
      ['import', '周销售'],
    ]);
  });

  it('caps every section: a customer with thousands of requests answers with 20 of them, the total and the recent rating, fast', async () => {
    const big = await createCustomer({ name: '大客户', department: city });
    const bigId = String(big._id);
    await Customer.updateOne({ _id: bigId }, { $set: { ownerId: owner.id } });
    const contact = await createContact(big);
    // The oldest request's 1-1-1 lies outside the rating window (the latest RATING_WINDOW requests).
    await requests(bigId, String(contact._id), 5000, { 0: [1, 1, 1], 4990: [5, 4, 3], 4999: [1, 1, 1] });
    const started = Date.now();
    const answer = await get360(owner.token, bigId);
    const took = Date.now() - started;
    expect(answer.status).toBe(200);
    expect(answer.body.requests).toMatchObject({ total: 5000, ratedCount: 2, ratingAverage: 2.5 });
    expect(answer.body.requests.items).toHaveLength(20);
    // Without the customer's own index the page alone took seconds here (a sort of every request).
    expect(took).toBeLessThan(2000);
  });

  it('shows a collaborator everything, and hides the customer from other salespeople (404)', async () => {
    expect((await get360(helper.token)).body.readOnly).toBe(false);
    const hidden = await get360(otherSales.token);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('CUSTOMER_NOT_FOUND');
  });

  it('lets a salesperson look at a pool customer read-only, phones masked', async () => {
    const answer = await get360(otherSales.token, poolCustomerId);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ readOnly: true, ownerId: null, inPool: true });
    expect(answer.body.contacts.items[0].phone).toBe('138****5678');
    // A manager of the subtree sees the same customer in full.
    const full = await get360(manager.token, poolCustomerId);
    expect(full.body.readOnly).toBe(false);
    expect(full.body.contacts.items[0].phone).toBe('13812345678');
  });

  it('gives managers their subtree and admin all; others out of scope get 404', async () => {
    for (const token of [manager.token, admin]) {
      const answer = await get360(token);
      expect(answer.status).toBe(200);
      expect(answer.body.leads.total).toBe(2);
    }
    expect((await get360(farManager.token)).status).toBe(404);
    expect((await get360(farDispatcher.token)).status).toBe(404);
  });

  it('shows a dispatcher the service side only: contacts, devices, requests — no sales sections', async () => {
    const answer = await get360(dispatcher.token);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ contactCount: 3, productCount: 2, requests: { total: 25 } });
    expect(answer.body.contacts.items.find((c: { id: string }) => c.id === contactIds[0]).phone).toBe(phones[0]);
    for (const key of ['leads', 'opportunities', 'campaignsReceived', 'campaignsShared', 'followRecords', 'ownership']) expect(answer.body[key], key).toBeNull();
  });

  it('refuses engineers and marketers (403), unknown and malformed ids', async () => {
    for (const role of ['engineer', 'marketer'] as const) expect((await get360((await createStaffMember(role, { department: city })).token)).status).toBe(403);
    expect((await get360(admin, new mongoose.Types.ObjectId().toHexString())).status).toBe(404);
    expect((await get360(admin, 'not-an-id')).status).toBe(400);
  });
});
