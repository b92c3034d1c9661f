// Share tokens are derived from (campaign, person): one node per person per campaign however many
// callers race, the first one deciding the parent; tokens claimed the old way (random, in
// `share_owners`) keep answering for their person.
import { beforeAll, describe, expect, it } from 'vitest';
import { rootShareTokens, shareTokenOf } from '../../src/modules/spread/lookup.service.js';
import { ShareNode, ShareOwner, Spreader } from '../../src/modules/spread/share-node.model.js';
import { createCampaignFixture } from '../helpers/campaigns.js';
import { createStaffMember, unique } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((s) => void (server = s));

const visitor = () => unique('v-').replace(/[^A-Za-z0-9_-]/g, '');
let marketer: Awaited<ReturnType<typeof createStaffMember>>;
let campaignId: string;
let legacyVisitor: string;
const LEGACY_TOKEN = 'legacyTok123';

beforeAll(async () => {
  marketer = await createStaffMember('marketer');
  campaignId = (await createCampaignFixture({ createdBy: marketer.id })).id;
  // Data of the random-token era: a visitor's node and its claim, written before this process looked.
  legacyVisitor = visitor();
  await ShareNode.create({ _id: LEGACY_TOKEN, campaignId, ownerKind: 'visitor', ownerId: legacyVisitor, landed: true });
  await ShareOwner.create({ _id: `owner:${campaignId}:visitor:${legacyVisitor}`, token: LEGACY_TOKEN });
});

const view = (body: Record<string, unknown>) => call(server.url, '/api/v1/track/view', { body });

describe('derived share tokens', () => {
  it('gives every concurrent caller one token and one node, under the first parent', async () => {
    const parents = await Promise.all([1, 2, 3].map(() => shareTokenOf(campaignId, { kind: 'visitor', id: visitor() })));
    const person = { kind: 'staff' as const, id: marketer.id };
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => shareTokenOf(campaignId, person, parents[i % 3]!)));
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toMatch(/^[A-Za-z0-9_-]{12}$/);
    const nodes = await ShareNode.find({ campaignId, ownerKind: 'staff', ownerId: marketer.id }).lean();
    expect(nodes).toHaveLength(1);
    expect(nodes[0]!._id).toBe(answers[0]);
    expect(parents).toContain(nodes[0]!.parent);
    // Idempotent, and a later landing does not move it.
    expect(await shareTokenOf(campaignId, person, null)).toBe(answers[0]);
    expect((await ShareNode.findById(answers[0]).lean())?.parent).toBe(nodes[0]!.parent);
    // No claim documents are written any more.
    expect(await ShareOwner.countDocuments({ _id: { $gte: `owner:${campaignId}:`, $lt: `owner:${campaignId}:\uffff` } })).toBe(1);
  });

  it('answers the same token to the same visitor and different ones to others', async () => {
    const id = visitor();
    const [a, b, c] = await Promise.all([view({ campaignId, visitorId: id }), view({ campaignId, visitorId: id }), view({ campaignId, visitorId: visitor() })]);
    expect(a.body.shareToken).toBe(b.body.shareToken);
    expect(c.body.shareToken).not.toBe(a.body.shareToken);
  });

  it('keeps an old random token for its holder, and landings through it count on its node', async () => {
    const mine = await view({ campaignId, visitorId: legacyVisitor });
    expect(mine.status).toBe(200);
    expect(mine.body.shareToken).toBe(LEGACY_TOKEN);
    const friend = await view({ campaignId, s: LEGACY_TOKEN, visitorId: visitor() });
    expect(friend.status).toBe(200);
    const child = await ShareNode.findById(friend.body.shareToken).lean();
    expect(child).toMatchObject({ parent: LEGACY_TOKEN, ancestors: [LEGACY_TOKEN] });
    expect(await ShareNode.countDocuments({ campaignId, ownerKind: 'visitor', ownerId: legacyVisitor })).toBe(1);
    const tree = await call(server.url, `/api/v1/campaigns/${campaignId}/share-tree?parent=${LEGACY_TOKEN}`, { token: marketer.token });
    expect(tree.status).toBe(200); // flushes the counters
    expect(await ShareNode.findById(LEGACY_TOKEN).lean()).toMatchObject({ views: 1, uniqueVisitors: 1, shares: 1 });
  });

  it('prepares many recipients at once (distribution): the same tokens, one root node and one pair of counter documents each', async () => {
    const other = (await createCampaignFixture({ createdBy: marketer.id })).id;
    const contacts = Array.from({ length: 30 }, () => ({ kind: 'contact' as const, id: unique('contact') }));
    // Some had their node made one at a time before (a re-run after a crash).
    const earlier = await Promise.all(contacts.slice(0, 5).map((contact) => shareTokenOf(other, contact)));
    const [first, second] = await Promise.all([rootShareTokens(other, contacts), rootShareTokens(other, [...contacts].reverse())]);
    expect(first.slice(0, 5)).toEqual(earlier);
    expect(second).toEqual([...first].reverse());
    expect(new Set(first).size).toBe(30);
    for (const [i, contact] of contacts.entries()) expect(first[i]).toBe(await shareTokenOf(other, contact));
    const nodes = await ShareNode.find({ _id: { $in: first } }).lean();
    expect(nodes).toHaveLength(30);
    expect(nodes.every((node) => node.campaignId === other && node.parent === null && node.depth === 0 && !node.landed)).toBe(true);
    const ids = contacts.flatMap((contact) => [`${other}:customer:${contact.id}`, `all:customer:${contact.id}`]);
    expect(await Spreader.countDocuments({ _id: { $in: ids } })).toBe(60);
    expect(await rootShareTokens(other, [])).toEqual([]);
  });
});
