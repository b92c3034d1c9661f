// Segments (客户细分): each rule and combinations against a fixture population with known answers,
// the preview's reach figures (following, mass quota left, service window), and CRUD.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { Contact } from '../../src/modules/customers/contact.model.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { Delivery } from '../../src/modules/marketing/delivery.model.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { createProduct, staffSession, unique } from '../helpers/factories.js';

let server: TestServer;
let marketer: { token: string };
useTestServer(async (s) => {
  server = s;
});

const HOUR = 3600_000;
const ids: Record<string, string> = {};
const otherCampaign = new mongoose.Types.ObjectId().toHexString();

async function customer(name: string, region: string, industry: string, grade: string) {
  return (await Customer.create({ code: unique('KH'), name, region, industry, grade, department: '' })).toObject();
}

async function person(key: string, customerDoc: { _id: mongoose.Types.ObjectId }, tags: string[], wechat?: { subscribed: boolean; subscribedAt: Date; lastInteractionAt?: Date }) {
  const contact = await Contact.create({ customerId: customerDoc._id, name: `联系人${key}`, phone: `137000000${String(Object.keys(ids).length).padStart(2, '0')}`, tags });
  ids[key] = String(contact._id);
  if (wechat) {
    await WeChatUser.create({ _id: randomUUID(), oaOpenid: `oSeg-${key}`, subscribed: wechat.subscribed, subscribedAt: wechat.subscribedAt, lastInteractionAt: wechat.lastInteractionAt ?? null, contactId: String(contact._id) });
  }
}

beforeAll(async () => {
  marketer = await staffSession(server, 'marketer');
  const now = Date.now();
  const a = await customer('西湖酒店', '杭州', '酒店', 'A');
  const b = await customer('浦东医院', '上海', '医院', 'B');
  const c = await customer('钱塘学校', '杭州', '学校', 'C');
  await createProduct(a, { productLine: '空调' });
  await createProduct(b, { productLine: '热水器' });
  await createProduct(c, { productLine: '空调' });
  await createProduct(c, { productLine: '热水器' });
  await person('a1', a, ['VIP'], { subscribed: true, subscribedAt: new Date('2026-03-10T02:00:00Z'), lastInteractionAt: new Date(now - 24 * HOUR) });
  await person('a2', a, ['VIP', '老客户'], { subscribed: false, subscribedAt: new Date('2026-02-01T02:00:00Z') });
  await person('a3', a, []);
  await person('b1', b, ['老客户'], { subscribed: true, subscribedAt: new Date('2026-05-01T02:00:00Z'), lastInteractionAt: new Date(now - 10 * 24 * HOUR) });
  await person('b2', b, ['VIP'], { subscribed: true, subscribedAt: new Date('2025-12-31T02:00:00Z') });
  await person('c1', c, [], { subscribed: true, subscribedAt: new Date('2026-03-15T02:00:00Z'), lastInteractionAt: new Date(now - 2 * HOUR) });
  await person('c2', c, ['老客户']);
  // Campaign history: a1 and b1 received `otherCampaign`, c1's delivery failed.
  for (const [key, state] of [['a1', 'sent'], ['b1', 'sent'], ['c1', 'failed']] as const) {
    await Delivery.create({ _id: `${otherCampaign}:${ids[key]}`, campaignId: otherCampaign, recipientKind: 'contact', recipientId: ids[key], openid: `oSeg-${key}`, state, outcome: state === 'sent' ? 'sent' : 'failed:error', channel: 'service', sentAt: new Date() });
  }
  // b2 has had this month's 4 mass messages already.
  for (let i = 0; i < 4; i += 1) {
    const campaignId = new mongoose.Types.ObjectId().toHexString();
    await Delivery.create({ _id: `${campaignId}:${ids.b2}`, campaignId, recipientKind: 'contact', recipientId: ids.b2, openid: 'oSeg-b2', state: 'sent', outcome: 'sent', channel: 'mass', sentAt: new Date() });
  }
});

async function preview(rules: Record<string, unknown>) {
  const response = await call(server.url, '/api/v1/segments/preview', { token: marketer.token, body: { rules } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body as { count: number; following: number; massQuotaLeft: number; inServiceWindow: number; sample: Array<{ contactId: string; name: string; customerName: string; region: string; following: boolean }> };
}

const keysOf = (sample: Array<{ contactId: string }>) => sample.map((s) => Object.keys(ids).find((k) => ids[k] === s.contactId)).sort();

describe('segment rules against a known population', () => {
  const cases: Array<[string, Record<string, unknown>, string[]]> = [
    ['no rule: everyone', {}, ['a1', 'a2', 'a3', 'b1', 'b2', 'c1', 'c2']],
    ['a tag', { tags: ['VIP'] }, ['a1', 'a2', 'b2']],
    ['tags OR-ed', { tags: ['VIP', '老客户'] }, ['a1', 'a2', 'b1', 'b2', 'c2']],
    ['region', { regions: ['杭州'] }, ['a1', 'a2', 'a3', 'c1', 'c2']],
    ['industry', { industries: ['医院'] }, ['b1', 'b2']],
    ['grades', { grades: ['A', 'C'] }, ['a1', 'a2', 'a3', 'c1', 'c2']],
    ['product line owned', { productLines: ['热水器'] }, ['b1', 'b2', 'c1', 'c2']],
    ['following', { following: 'yes' }, ['a1', 'b1', 'b2', 'c1']],
    ['not following (incl. no WeChat)', { following: 'no' }, ['a2', 'a3', 'c2']],
    ['followed from', { followedFrom: '2026-03-01' }, ['a1', 'b1', 'c1']],
    ['followed between', { followedFrom: '2026-03-01', followedTo: '2026-03-31' }, ['a1', 'c1']],
    ['followed up to (the whole day, China time)', { followedTo: '2026-03-10' }, ['a1', 'a2', 'b2']],
    ['interacted within 2 days', { interactedWithinDays: 2 }, ['a1', 'c1']],
    ['interacted within 30 days', { interactedWithinDays: 30 }, ['a1', 'b1', 'c1']],
    ['received a campaign', { campaign: { campaignId: otherCampaign, state: 'received' } }, ['a1', 'b1']],
    ['received and not read it', { campaign: { campaignId: otherCampaign, state: 'not-read' } }, ['a1', 'b1']],
    ['tag AND following', { tags: ['VIP'], following: 'yes' }, ['a1', 'b2']],
    ['region AND product line', { regions: ['杭州'], productLines: ['热水器'] }, ['c1', 'c2']],
    ['tag AND region AND interaction', { tags: ['老客户'], regions: ['上海'], interactedWithinDays: 30 }, ['b1']],
    ['nobody', { regions: ['北京'] }, []],
  ];
  it.each(cases)('%s', async (_name, rules, expected) => {
    const result = await preview(rules);
    expect(result.count).toBe(expected.length);
    expect(keysOf(result.sample)).toEqual(expected);
  });

  it('reports reach: following, mass quota left this month, inside the service window', async () => {
    const result = await preview({});
    expect(result).toMatchObject({ count: 7, following: 4, massQuotaLeft: 3, inServiceWindow: 2 });
    const a1 = result.sample.find((s) => s.contactId === ids.a1)!;
    expect(a1).toMatchObject({ name: '联系人a1', customerName: '西湖酒店', region: '杭州', following: true });
  });

  it('refuses malformed rules', async () => {
    for (const rules of [{ following: 'maybe' }, { followedFrom: '2026-02-30' }, { followedFrom: '2026-04-01', followedTo: '2026-03-01' }, { tags: [{ $ne: 1 }] }, { unknown: 1 }]) {
      const response = await call(server.url, '/api/v1/segments/preview', { token: marketer.token, body: { rules } });
      expect(response.status, JSON.stringify(rules)).toBe(400);
    }
  });
});

describe('segments CRUD', () => {
  it('creates, reads, edits, lists and deletes; other roles get 403', async () => {
    const created = await call(server.url, '/api/v1/segments', { token: marketer.token, body: { name: '杭州 VIP', rules: { tags: ['VIP'], regions: ['杭州'] } } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const edited = await call(server.url, `/api/v1/segments/${id}`, { method: 'PATCH', token: marketer.token, body: { rules: { tags: ['老客户'] } } });
    expect(edited.body.rules).toEqual({ tags: ['老客户'] });
    const list = await call(server.url, '/api/v1/segments?q=VIP', { token: marketer.token });
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(id);
    const sales = await staffSession(server, 'sales');
    expect((await call(server.url, `/api/v1/segments/${id}`, { token: sales.token })).status).toBe(403);
    expect((await call(server.url, `/api/v1/segments/${id}`, { method: 'DELETE', token: marketer.token })).status).toBe(204);
    expect((await call(server.url, `/api/v1/segments/${id}`, { token: marketer.token })).status).toBe(404);
  });
});
