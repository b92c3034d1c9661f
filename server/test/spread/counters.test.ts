// The write-behind counters' pace: after a flush of a burst (BURST_DOCUMENTS or more documents)
// the next flush waits BURST_FLUSH_MS, so documents shared by many views are written once for
// many — and a reader still sees every increment, because it flushes first.
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { BURST_FLUSH_MS, FLUSH_MS, flushCounters, increment } from '../../src/modules/spread/counters.js';
import { rootShareTokens } from '../../src/modules/spread/lookup.service.js';
import { ShareNode } from '../../src/modules/spread/share-node.model.js';
import { createCampaignFixture } from '../helpers/campaigns.js';
import { createStaffMember } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
useTestServer((s) => void (server = s));

let marketer: Awaited<ReturnType<typeof createStaffMember>>;
let campaignId: string;
let tokens: string[];

const storedViews = async (token: string) => (await ShareNode.findById(token, { views: 1 }).lean())?.views;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  marketer = await createStaffMember('marketer');
  campaignId = (await createCampaignFixture({ createdBy: marketer.id })).id;
  const owners = Array.from({ length: 60 }, () => ({ kind: 'contact' as const, id: new mongoose.Types.ObjectId().toHexString() }));
  tokens = await rootShareTokens(campaignId, owners);
});

describe('counter flushes', () => {
  it('wait longer after a burst, and a reader still sees every increment at once', async () => {
    expect(BURST_FLUSH_MS).toBeGreaterThan(2 * FLUSH_MS);
    // A burst: 60 documents in one flush.
    for (const token of tokens) increment(ShareNode, token, { views: 1 });
    await flushCounters();
    expect(await storedViews(tokens[59]!)).toBe(1);

    increment(ShareNode, tokens[0]!, { views: 1 });
    // Past the quiet delay, well before the burst delay: not written yet.
    await sleep(2 * FLUSH_MS);
    expect(await storedViews(tokens[0]!)).toBe(1);
    // The share tree flushes first: the view is there.
    const tree = await call(server.url, `/api/v1/campaigns/${campaignId}/share-tree`, { token: marketer.token });
    expect(tree.status).toBe(200);
    expect(await storedViews(tokens[0]!)).toBe(2);
    expect(tree.body.nodes.find((node: { token: string }) => node.token === tokens[0])?.views).toBe(2);
  });

  it('write a trickle on their own after the quiet delay', async () => {
    // The last flush (the reader's) wrote one document: back to the quiet pace.
    increment(ShareNode, tokens[1]!, { views: 1 });
    await expect.poll(() => storedViews(tokens[1]!), { timeout: 5_000, interval: 50 }).toBe(2);
  });
});
