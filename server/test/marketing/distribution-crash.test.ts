// kill -9 of the real server in the middle of a campaign to 2,000 recipients, then a restart on
// the same database: the distribution carries on and the sandbox (a separate process-independent
// server whose records survive the kill) proves that nobody got the campaign twice and nobody
// was left out — half go by customer-service message (inside the 48-hour window), half by mass
// send (the others), so both ways of sending are crossed by the crash.
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connection.js';
import { Campaign } from '../../src/modules/marketing/campaign.model.js';
import { Delivery } from '../../src/modules/marketing/delivery.model.js';
import { effectiveOutcome } from '../../src/modules/marketing/delivery-rules.js';
import { startSandbox } from '../../src/wechat/sandbox/index.js';
import { freshDatabaseUri } from '../helpers/db.js';
import { createCustomer, createStaffMember, unique } from '../helpers/factories.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { call, TEST_MP, TEST_OA, testEnv } from '../helpers/server.js';
import { createCampaignViaApi, createMaterialViaApi, createRecipients, createSegmentViaApi, uploadImage, type Recipient } from './helpers.js';

const TOTAL = 2000;
const RATE = 100;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let env: Record<string, string>;
let server: ServerProcess | undefined;

beforeAll(async () => {
  sandbox = await startSandbox({ apps: [{ ...TEST_OA, kind: 'oa' }, { ...TEST_MP, kind: 'mp' }] });
  const uri = freshDatabaseUri();
  env = testEnv(sandbox.url, uri, { QIAO_CAMPAIGN_SEND_RATE: String(RATE), QIAO_CAMPAIGN_FREQUENCY_CAP: '0' });
  server = await spawnServer(env);
  await connectDatabase(uri);
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await mongoose.connection.db?.dropDatabase().catch(() => {});
  await mongoose.disconnect();
  await sandbox?.close();
});

const t0 = Date.now();
const log = (what: string) => console.log(`[crash test +${((Date.now() - t0) / 1000).toFixed(1)}s] ${what}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('distribution through a crash', () => {
  it('reaches each of 2,000 recipients exactly once although the server is killed mid-way', { timeout: 400_000 }, async () => {
    const marketer = await createStaffMember('marketer');
    const tag = unique('crash');
    const customer = await createCustomer();
    const inWindow = await createRecipients(sandbox.sandbox, customer._id, TOTAL / 2, { tag, inWindow: true });
    const massOnly = await createRecipients(sandbox.sandbox, customer._id, TOTAL / 2, { tag });
    const everyone: Recipient[] = [...inWindow, ...massOnly];
    log('recipients created');

    const cover = await uploadImage(server!.url, marketer.token);
    const material = await createMaterialViaApi(server!, marketer.token, { title: '年终回馈', coverFileId: cover.id, bodyHtml: '<p>回馈老客户</p>' });
    const segment = await createSegmentViaApi(server!, marketer.token, { tags: [tag] });
    const campaign = await createCampaignViaApi(server!, marketer.token, { materialId: material.id, segmentId: segment.id, channels: ['service', 'mass'] });
    expect((await call(server!.url, `/api/v1/campaigns/${campaign.id}/start`, { method: 'POST', token: marketer.token })).status).toBe(200);

    log('started');
    // Kill it once a good part of the customer-service messages went out.
    const custom = () => sandbox.sandbox.sent({ kind: 'custom' }).length;
    for (let i = 0; i < 300 && custom() < 400; i += 1) await sleep(100);
    expect(custom()).toBeGreaterThanOrEqual(400);
    server!.child.kill('SIGKILL');
    await new Promise((resolve) => server!.child.once('exit', resolve));
    const atKill = custom();
    expect(atKill).toBeLessThan(TOTAL / 2);
    log(`killed at ${atKill}`);
    server = await spawnServer(env);
    log('restarted');

    // The sweep notices the dead run (no heartbeat) and carries on.
    // Watched through the campaign's status (cheap), the figures read once at the end.
    for (let i = 0; i < 240; i += 1) {
      const status = (await Campaign.findById(campaign.id, { status: 1 }).lean())?.status;
      if (i % 10 === 0) log(`${status}, custom ${custom()}, mass ${sandbox.sandbox.sent({ kind: 'mass' }).length}`);
      if (status === 'completed') break;
      await sleep(1000);
    }
    const progress = (await call(server.url, `/api/v1/campaigns/${campaign.id}/progress`, { token: marketer.token })).body;
    expect(progress?.status, JSON.stringify(progress)).toBe('completed');

    const received = new Map<string, number>();
    for (const message of sandbox.sandbox.sent()) {
      if (message.kind === 'custom' || message.kind === 'mass') received.set(message.openid, (received.get(message.openid) ?? 0) + 1);
    }
    // Nobody twice.
    expect([...received.values()].filter((n) => n > 1)).toEqual([]);
    const mass = (await Campaign.findById(campaign.id).lean())!.mass;
    const deliveries = (await Delivery.find({ campaignId: campaign.id }).lean()).map((d) => ({ ...d, outcome: effectiveOutcome(d.outcome, mass) }));
    expect(deliveries).toHaveLength(TOTAL);
    const byOpenid = new Map(deliveries.map((d) => [d.openid, d]));
    // A customer-service message cut off by the kill may or may not have reached WeChat: it is
    // recorded `unknown` and not resent. Everyone else who is recorded sent got exactly one.
    const unknown = deliveries.filter((d) => d.outcome === 'failed:unknown');
    expect(unknown.length).toBeLessThanOrEqual(2);
    for (const recipient of everyone) {
      const delivery = byOpenid.get(recipient.openid)!;
      if (delivery.outcome === 'failed:unknown') continue;
      expect(delivery.outcome, recipient.openid).toBe('sent');
      expect(received.get(recipient.openid), recipient.openid).toBe(1);
    }
    expect(progress).toMatchObject({ sent: TOTAL - unknown.length, remaining: 0 });
    // Those outside the window all went by the one mass send.
    expect(new Set(sandbox.sandbox.sent({ kind: 'mass' }).filter((m) => massOnly.some((r) => r.openid === m.openid)).map((m) => m.msgid)).size).toBe(1);
    expect(server.output()).not.toMatch(/"level":50/);
  });
});
