// The tracking hot path under load and at its edges: parallel views keep the counters exact, a
// reloading visitor counts every view but once as a visitor, ended campaigns do not open, foreign
// tokens are ignored, a poster's QR scene (follow or SCAN) is a landing through its token, and
// intents are validated against the campaign's form.
import { beforeAll, describe, expect, it } from 'vitest';
import { shareTokenOf } from '../../src/modules/spread/lookup.service.js';
import { ShareNode } from '../../src/modules/spread/share-node.model.js';
import { TRACKING_LIMITS } from '../../src/modules/spread/tracking.service.js';
import { createCampaignFixture } from '../helpers/campaigns.js';
import { createStaffMember, customerSession, unique } from '../helpers/factories.js';
import { eventMessage, pushXml } from '../helpers/oa.js';
import { call, TEST_OA, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((s) => void (server = s));

const visitor = () => unique('v-').replace(/[^A-Za-z0-9_-]/g, '');
let marketer: Awaited<ReturnType<typeof createStaffMember>>;
let campaignId: string;
let root: string;

const view = (body: Record<string, unknown>, token?: string) => call(server.url, '/api/v1/track/view', { body, ...(token ? { token } : {}) });

async function node(token: string) {
  const tree = await call(server.url, `/api/v1/campaigns/${campaignId}/share-tree?q=${encodeURIComponent('不存在')}`, { token: marketer.token });
  expect(tree.status).toBe(200); // flushes the counters
  return ShareNode.findById(token).lean();
}

beforeAll(async () => {
  marketer = await createStaffMember('marketer');
  campaignId = (await createCampaignFixture({ createdBy: marketer.id })).id;
  const recipient = await customerSession();
  root = await shareTokenOf(campaignId, { kind: 'contact', id: String(recipient.contact!._id) });
});

describe('POST /track/view', () => {
  it('keeps counters exact under 50 parallel views by different visitors', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => view({ campaignId, s: root, visitorId: visitor() })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
    expect(new Set(answers.map((answer) => answer.body.shareToken)).size).toBe(50);
    expect(await node(root)).toMatchObject({ views: 50, uniqueVisitors: 50, shares: 50, subtreeViews: 50, subtreeUniqueVisitors: 50, subtreeNodes: 51 });
  });

  it('counts a reloading visitor’s every view but one visitor, even in parallel', async () => {
    const id = visitor();
    const answers = await Promise.all(Array.from({ length: 30 }, () => view({ campaignId, s: root, visitorId: id })));
    expect(new Set(answers.map((answer) => answer.body.shareToken)).size).toBe(1);
    for (let i = 0; i < 70; i += 1) expect((await view({ campaignId, s: root, visitorId: id })).status).toBe(200);
    expect(await node(root)).toMatchObject({ views: 150, uniqueVisitors: 51, shares: 51 });
    expect(await ShareNode.countDocuments({ campaignId, ownerKind: 'visitor', ownerId: id })).toBe(1);
  });

  it('answers 404 for a draft or cancelled campaign, 400 for bad input', async () => {
    for (const status of ['draft', 'cancelled'] as const) {
      const ended = await createCampaignFixture({ status });
      const answer = await view({ campaignId: ended.id, visitorId: visitor() });
      expect(answer.status).toBe(404);
      expect(answer.body.error).toMatchObject({ code: 'CAMPAIGN_NOT_FOUND' });
      expect(answer.body.error.message).toMatch(/活动/);
    }
    expect((await view({ campaignId: 'nope', visitorId: visitor() })).status).toBe(400);
    expect((await view({ campaignId, visitorId: 'x' })).status).toBe(400);
    expect((await view({ campaignId, visitorId: visitor(), s: { $gt: '' } })).status).toBe(400);
  });

  it('ignores a token of another campaign: the viewer becomes a root', async () => {
    const other = await createCampaignFixture();
    const answer = await view({ campaignId: other.id, s: root, visitorId: visitor() });
    expect(answer.status).toBe(200);
    expect(await ShareNode.findById(answer.body.shareToken).lean()).toMatchObject({ campaignId: other.id, parent: null, depth: 0 });
  });

  it('returns the landing content', async () => {
    const answer = await view({ campaignId, visitorId: visitor() });
    expect(answer.body.campaign).toMatchObject({ id: campaignId, title: '新品空调 限时焕新', author: '市场部', coverUrl: null, intentForm: { enabled: true, products: ['中央空调', '热水器'] } });
    expect(answer.body.campaign.bodyHtml).toContain('新品');
  });

  it('throttles new anonymous visitors from one address, not known ones', async () => {
    const limit = TRACKING_LIMITS.newVisitorsPerAddress;
    const known = visitor();
    expect((await view({ campaignId, visitorId: known })).status).toBe(200);
    TRACKING_LIMITS.newVisitorsPerAddress = 0;
    try {
      const refused = await view({ campaignId, visitorId: visitor() });
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('TOO_MANY_VISITORS');
      expect((await view({ campaignId, visitorId: known })).status).toBe(200);
    } finally {
      TRACKING_LIMITS.newVisitorsPerAddress = limit;
    }
  });
});

describe('poster QR scenes', () => {
  const push = (xml: string) => pushXml(server.url, xml, { token: TEST_OA.token, appid: TEST_OA.appid });

  it('a follow through `qrscene_s_<token>` and a SCAN of `s_<token>` land through that token', async () => {
    const staff = await createStaffMember('sales', { name: '李销售' });
    const staffToken = await shareTokenOf(campaignId, { kind: 'staff', id: staff.id });
    const newcomer = unique('oOaScan');
    expect((await push(eventMessage(newcomer, 'subscribe', `qrscene_s_${staffToken}`))).status).toBe(200);
    const follower = unique('oOaScan');
    expect((await push(eventMessage(follower, 'subscribe'))).status).toBe(200);
    expect((await push(eventMessage(follower, 'SCAN', `s_${staffToken}`))).status).toBe(200);
    // Unrelated scenes change nothing.
    expect((await push(eventMessage(unique('oOaScan'), 'subscribe', 'qrscene_engineer_42'))).status).toBe(200);

    expect(await node(staffToken)).toMatchObject({ views: 2, uniqueVisitors: 2, shares: 2 });
    const children = await ShareNode.find({ campaignId, parent: staffToken }).lean();
    expect(children.map((child) => child.ownerKind)).toEqual(['wechat', 'wechat']);
  });
});

describe('POST /campaigns/:id/intents', () => {
  const intent = (s: string, visitorId: string, extra: Record<string, unknown> = {}) => ({ s, visitorId, name: '周女士', phone: '13900001111', company: '', products: ['热水器'], ...extra });

  it('refuses products outside the form, bad phones, and a disabled form', async () => {
    const id = visitor();
    const own = (await view({ campaignId, s: root, visitorId: id })).body.shareToken as string;
    const wrong = await call(server.url, `/api/v1/campaigns/${campaignId}/intents`, { body: intent(own, id, { products: ['洗衣机'] }) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('INVALID_PRODUCTS');
    const phone = await call(server.url, `/api/v1/campaigns/${campaignId}/intents`, { body: intent(own, id, { phone: '12345' }) });
    expect(phone.status).toBe(400);
    expect(phone.body.error.code).toBe('VALIDATION_FAILED');

    const closed = await createCampaignFixture({ intentForm: { enabled: false, products: [] } });
    const closedToken = (await view({ campaignId: closed.id, visitorId: id })).body.shareToken as string;
    const disabled = await call(server.url, `/api/v1/campaigns/${closed.id}/intents`, { body: intent(closedToken, id, { products: [] }) });
    expect(disabled.status).toBe(400);
    expect(disabled.body.error.code).toBe('INTENT_FORM_DISABLED');
  });

  it('makes one lead of simultaneous first intents of one person', async () => {
    const id = visitor();
    const own = (await view({ campaignId, s: root, visitorId: id })).body.shareToken as string;
    const answers = await Promise.all(Array.from({ length: 5 }, () => call(server.url, `/api/v1/campaigns/${campaignId}/intents`, { body: intent(own, id) })));
    expect(answers.map((answer) => answer.status)).toEqual(Array(5).fill(201));
    expect(new Set(answers.map((answer) => answer.body.leadId)).size).toBe(1);
    expect(await node(own)).toMatchObject({ intents: 5, leads: 1 });
  });
});
