// A share chain built through the API: A is a recipient (a contact with a WeChat session); B and C
// open A's link, D opens B's; D leaves an intent. The tree, the node and subtree counters, the lead
// with its path A→B→D, the leaderboard, the notifications and the funnel must all say so.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Staff } from '../../src/modules/identity/staff.model.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import { shareTokenOf } from '../../src/modules/spread/lookup.service.js';
import { createCampaignFixture } from '../helpers/campaigns.js';
import { createStaffMember, customerSession, unique } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((s) => void (server = s));

const visitor = () => unique('visitor-').replace(/[^A-Za-z0-9_-]/g, '');

let campaignId: string;
let marketer: Awaited<ReturnType<typeof createStaffMember>>;
let manager: Awaited<ReturnType<typeof createStaffMember>>;
let marketerOpenid: string;
let a: Awaited<ReturnType<typeof customerSession>>;
const tokens = { a: '', b: '', c: '', d: '' };
const visitors = { b: visitor(), c: visitor(), d: visitor() };

async function view(body: { campaignId: string; s?: string; visitorId: string }, token?: string) {
  const response = await call(server.url, '/api/v1/track/view', { body, ...(token ? { token } : {}) });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.shareToken as string;
}

async function tree(query = '') {
  const response = await call(server.url, `/api/v1/campaigns/${campaignId}/share-tree${query}`, { token: marketer.token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

const byToken = (nodes: Array<{ token: string }>, token: string) => nodes.find((node) => node.token === token) as any;

beforeAll(async () => {
  marketer = await createStaffMember('marketer', { name: '王营销' });
  manager = await createStaffMember('manager', { name: '赵经理' });
  // The marketer follows the Official Account with a bound WeChat: the lead notice reaches them.
  marketerOpenid = unique('oOaMkt');
  const user = await WeChatUser.create({ _id: randomUUID(), oaOpenid: marketerOpenid, subscribed: true, staffId: marketer.id });
  await Staff.updateOne({ _id: marketer.id }, { $set: { wechatUserId: user._id } });
  server.sandbox.sandbox.registerUser({ openid: marketerOpenid, subscribed: true });

  campaignId = (await createCampaignFixture({ createdBy: marketer.id, name: '春季空调焕新' })).id;
  a = await customerSession();
  // What distribution does for a recipient: their root token.
  tokens.a = await shareTokenOf(campaignId, { kind: 'contact', id: String(a.contact!._id) });

  // A opens their own link in WeChat (with a session): not a share, a read.
  expect(await view({ campaignId, s: tokens.a, visitorId: visitor() }, a.token)).toBe(tokens.a);
  tokens.b = await view({ campaignId, s: tokens.a, visitorId: visitors.b });
  tokens.c = await view({ campaignId, s: tokens.a, visitorId: visitors.c });
  tokens.d = await view({ campaignId, s: tokens.b, visitorId: visitors.d });
});

describe('a share chain A → {B, C}, B → D', () => {
  it('gives every viewer their own token, the same one on every later view', async () => {
    expect(new Set(Object.values(tokens)).size).toBe(4);
    expect(await view({ campaignId, s: tokens.a, visitorId: visitors.b })).toBe(tokens.b);
    // The first landing decides: B opening C's link later does not move B.
    expect(await view({ campaignId, s: tokens.c, visitorId: visitors.b })).toBe(tokens.b);
  });

  it('draws the tree with node and subtree counters', async () => {
    const roots = await tree();
    expect(roots.nodes.map((node: { token: string }) => node.token)).toEqual([tokens.a]);
    const rootA = byToken(roots.nodes, tokens.a);
    expect(rootA).toMatchObject({ parent: null, depth: 0, kind: 'contact', name: a.contact!.name, shares: 2, childCount: 2 });
    // Views through A's own link: B (twice) and C; A's own view is a read, not counted on the node.
    expect(rootA.views).toBe(3);
    expect(rootA.uniqueVisitors).toBe(2);
    expect(rootA.subtree).toMatchObject({ views: 5, uniqueVisitors: 3, nodes: 4 });

    const level1 = await tree(`?parent=${tokens.a}`);
    expect(level1.nodes.map((node: { token: string }) => node.token).sort()).toEqual([tokens.b, tokens.c].sort());
    expect(byToken(level1.nodes, tokens.b)).toMatchObject({ parent: tokens.a, depth: 1, kind: 'visitor', views: 1, uniqueVisitors: 1, shares: 1, childCount: 1 });
    expect(byToken(level1.nodes, tokens.b).name).toMatch(/^访客/);
    // B opening C's link is a view of C's link, by a visitor already counted.
    expect(byToken(level1.nodes, tokens.c)).toMatchObject({ views: 1, uniqueVisitors: 0, shares: 0, childCount: 0 });

    const level2 = await tree(`?parent=${tokens.b}`);
    expect(level2.nodes).toHaveLength(1);
    expect(level2.nodes[0]).toMatchObject({ token: tokens.d, parent: tokens.b, depth: 2, childCount: 0 });
    expect(roots.stats).toMatchObject({ nodes: 4, maxDepth: 2, maxFanout: 2 });
  });

  it('turns D’s intent into a lead credited to the campaign and the path A → B → D, and tells the marketer', async () => {
    const intent = { s: tokens.d, visitorId: visitors.d, name: '孙先生', phone: '138 0013 8000', company: '杭州某酒店', products: ['中央空调'] };
    const created = await call(server.url, `/api/v1/campaigns/${campaignId}/intents`, { body: intent });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const leadId = created.body.leadId as string;

    const lead = await call(server.url, `/api/v1/leads/${leadId}`, { token: manager.token });
    expect(lead.status).toBe(200);
    expect(lead.body).toMatchObject({ name: '孙先生', phone: '13800138000', company: '杭州某酒店', source: 'campaign', status: 'new', campaignId, campaignName: '春季空调焕新', shareToken: tokens.d });
    expect(lead.body.sharePath.map((entry: { token: string }) => entry.token)).toEqual([tokens.a, tokens.b, tokens.d]);
    expect(lead.body.sharePath[0]).toMatchObject({ kind: 'contact', name: a.contact!.name });

    // A second intent of the same person updates their lead.
    const again = await call(server.url, `/api/v1/campaigns/${campaignId}/intents`, { body: { ...intent, products: ['热水器'], note: '想了解安装周期' } });
    expect(again.status).toBe(201);
    expect(again.body.leadId).toBe(leadId);
    const list = await call(server.url, `/api/v1/leads?campaignId=${campaignId}`, { token: manager.token });
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({ products: ['热水器'], notes: '想了解安装周期' });

    const rootA = byToken((await tree()).nodes, tokens.a);
    expect(rootA.subtree).toMatchObject({ intents: 2, leads: 1 });
    const d = byToken((await tree(`?parent=${tokens.b}`)).nodes, tokens.d);
    expect(d).toMatchObject({ intents: 2, leads: 1 });

    // The new-lead notice reached the marketer's WeChat (queued job → sandbox).
    type Sent = { kind: string; payload: { template_id?: string; data?: Record<string, { value: string }> } };
    let delivered: Sent[] = [];
    for (let i = 0; i < 50 && delivered.length === 0; i += 1) {
      const box = await call<{ items: Sent[] }>(server.sandbox.url, `/messages?openid=${marketerOpenid}`);
      delivered = box.body.items.filter((m) => m.payload.template_id === 'qiao-lead-new');
      if (delivered.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.payload.data?.thing1?.value).toBe('春季空调焕新');
    expect(delivered[0]!.payload.data?.phone_number3?.value).toBe('13800138000');
  });

  it('ranks A first among the spreaders, direct and indirect', async () => {
    // A staff hand-out with one visitor: reach 1, behind A's 3.
    const staff = await createStaffMember('sales', { name: '钱销售' });
    const staffToken = await shareTokenOf(campaignId, { kind: 'staff', id: staff.id });
    await view({ campaignId, s: staffToken, visitorId: visitor() });

    const board = await call(server.url, `/api/v1/spreaders?campaignId=${campaignId}`, { token: marketer.token });
    expect(board.status).toBe(200);
    expect(board.body.items.map((row: { id: string }) => row.id)).toEqual([String(a.contact!._id), staff.id]);
    expect(board.body.items[0]).toMatchObject({ rank: 1, kind: 'customer', name: a.contact!.name, direct: { views: 3, uniqueVisitors: 2 }, indirect: { views: 2, uniqueVisitors: 1 }, intents: 2, leads: 1 });
    const staffOnly = await call(server.url, `/api/v1/spreaders?campaignId=${campaignId}&kind=staff`, { token: marketer.token });
    expect(staffOnly.body.items).toMatchObject([{ rank: 1, kind: 'staff', id: staff.id, name: '钱销售' }]);
    const overall = await call(server.url, '/api/v1/spreaders', { token: marketer.token });
    expect(overall.body.items[0]).toMatchObject({ id: String(a.contact!._id) });
  });

  it('finds a person by name with their ancestors', async () => {
    const found = await tree(`?q=${encodeURIComponent(a.contact!.name)}`);
    expect(found.nodes.map((node: { token: string }) => node.token)).toEqual([tokens.a]);
    const none = await tree(`?q=${encodeURIComponent('没有这个人')}`);
    expect(none.nodes).toEqual([]);
  });

  it('shows the funnel: read by A, shared by A, B and the staff member, visitors, intents, leads', async () => {
    const funnel = await call(server.url, `/api/v1/campaigns/${campaignId}/funnel`, { token: marketer.token });
    expect(funnel.status).toBe(200);
    expect(funnel.body).toMatchObject({ read: 1, shared: 3, intents: 2, leads: 1 });
    // A (their own view), B, C, D, and the staff member's visitor.
    expect(funnel.body.uniqueVisitors).toBe(5);
  });
});
