// npm run bench:tracking (also part of npm run bench) — prints figures; nothing here passes or fails.
// The share-path tracking hot path, POST /api/v1/track/view, against the raw single-document insert
// rate of the same database (the target: at least half of it), then the share tree and the funnel
// of the campaign with BENCH_TRACK_VIEWS views (default 10000; the target: under 200 ms).
//   BENCH_TRACK_VIEWS        views to record (default 10000)
//   BENCH_TRACK_CONCURRENCY  views in flight (default 16)
//   BENCH_TRACK_RAW          raw inserts for the baseline (default 3000)
//   BENCH_TRACK_CLIENT       `http` (default: node:http with keep-alive) or `fetch` (the earlier runs' client)
// The load comes from this process, like the baseline's inserts. Its HTTP client is node:http with
// keep-alive: fetch (undici, web streams) was measured to take ~40% of this process's busy CPU,
// which the server then lacks — a cost of the benchmark, not of the tracking.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import mongoose, { Schema } from 'mongoose';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { Contact } from '../src/modules/customers/contact.model.js';
import { Campaign } from '../src/modules/marketing/campaign.model.js';
import { Material } from '../src/modules/marketing/material.model.js';
import { createSession } from '../src/modules/identity/session.service.js';
import { createStaff } from '../src/modules/identity/staff.service.js';
import { shareTokenOf } from '../src/modules/spread/lookup.service.js';
import { TRACKING_LIMITS } from '../src/modules/spread/tracking.service.js';
import { startQiao } from '../src/server.js';
import { flushCounters } from '../src/modules/spread/counters.js';
import { databaseCpuMs } from './oa.js';
import { percentile } from './report.js';
import { countStatements } from './statements.js';

const VIEWS = Number(process.env.BENCH_TRACK_VIEWS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_TRACK_CONCURRENCY ?? 16);
const RAW = Number(process.env.BENCH_TRACK_RAW ?? 3_000);
const CLIENT = process.env.BENCH_TRACK_CLIENT === 'fetch' ? 'fetch' : 'http';
const ROOTS = 50;

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
/** POSTs JSON: the status and the parsed answer. */
function postJson(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  if (CLIENT === 'fetch') {
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (response) => ({ status: response.status, body: await response.json() }));
  }
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': payload.length } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}

const ms = (n: number) => n.toFixed(1);

/** Runs `count` tasks with `concurrency` in flight; per-task latencies and the wall time. */
async function load(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const at = performance.now();
        await task(i);
        latencies.push(performance.now() - at);
      }
    }),
  );
  return { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - started) / 1000 };
}

function line(label: string, result: { latencies: number[]; seconds: number }): number {
  const rate = result.latencies.length / result.seconds;
  console.log(`| ${label} | ${result.latencies.length} | ${rate.toFixed(0)} | ${ms(percentile(result.latencies, 50))} | ${ms(percentile(result.latencies, 99))} |`);
  return rate;
}

async function timed(samples: number, fn: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i += 1) {
    const at = performance.now();
    await fn();
    out.push(performance.now() - at);
  }
  return out.sort((a, b) => a - b);
}

interface Cost {
  statements: Map<string, { statements: number; documents: number }>;
  databaseCpuMs: number | null;
  nodeCpuMs: number;
}

/** The statements mongoose sends (by method and collection) and the CPU of both processes while `work` runs and its counters are written. */
async function costOf<T>(work: () => Promise<T>): Promise<{ result: T; cost: Cost }> {
  const counting = countStatements();
  const databaseBefore = databaseCpuMs();
  const nodeBefore = process.cpuUsage();
  try {
    const result = await work();
    await flushCounters();
    const node = process.cpuUsage(nodeBefore);
    const databaseAfter = databaseCpuMs();
    return { result, cost: { statements: counting.stop(), databaseCpuMs: databaseBefore === null || databaseAfter === null ? null : databaseAfter - databaseBefore, nodeCpuMs: (node.user + node.system) / 1000 } };
  } finally {
    counting.stop();
  }
}

function printCost(label: string, n: number, { statements, databaseCpuMs: database, nodeCpuMs }: Cost): void {
  const per = (x: number) => (x / n).toFixed(2);
  const all = [...statements.values()];
  const by = [...statements].sort(([a], [b]) => a.localeCompare(b)).map(([key, { documents }]) => `${key} ${per(documents)}`).join(', ');
  console.log(`| ${label} | ${per(all.reduce((s, x) => s + x.statements, 0))} | ${per(all.reduce((s, x) => s + x.documents, 0))} | ${by} | ${database === null ? '–' : per(database)} | ${per(nodeCpuMs)} |`);
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qiao-bench-tracking-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', QIAO_DATA_DIR: dataDir, QIAO_ADMIN_PASSWORD: 'bench-admin-pass-2026' });
  const qiao = await startQiao(config, createLogger(process.env.BENCH_LOG ?? 'silent'));
  // One client address brings every visitor here: the per-address throttle would refuse them.
  TRACKING_LIMITS.newVisitorsPerAddress = Number.POSITIVE_INFINITY;

  console.log(`# Tracking benchmark ${new Date().toISOString()}`);
  console.log(`embedded FerretDB; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}; server and load in one process; ${CONCURRENCY} in flight; client ${CLIENT}\n`);
  console.log('| what | n | per second | p50 ms | p99 ms |');
  console.log('|---|---:|---:|---:|---:|');

  // Baseline: single-document inserts with a unique _id into the same database, as many in flight.
  const Raw = mongoose.model('BenchRaw', new Schema({ _id: String, campaignId: String, at: Date }, { versionKey: false }), 'bench_raw_inserts');
  await Raw.init();
  const rawRun = await costOf(() => load(RAW, CONCURRENCY, async (i) => void (await Raw.collection.insertOne({ _id: `raw-${i}` as never, campaignId: 'c', at: new Date() }))));
  const raw = line('raw insertOne (baseline)', rawRun.result);
  const rawSequential = line('raw insertOne, one at a time', await load(Math.min(RAW, 1000), 1, async (i) => void (await Raw.collection.insertOne({ _id: `seq-${i}` as never, campaignId: 'c', at: new Date() }))));
  void rawSequential;

  // A running campaign with ROOTS recipients; visitors land through any token seen so far (the tree
  // grows), a fifth of the views are reloads by known visitors.
  const marketer = await createStaff({ username: 'benchmarketer', name: '营销', password: 'bench-pass-2026', role: 'marketer', department: null });
  const material = await Material.create({ kind: 'article', title: '基准活动', updatedBy: marketer.id, createdBy: marketer.id });
  const campaign = await Campaign.create({ name: '基准活动', materialId: String(material._id), segmentId: 'bench', channels: ['mass'], status: 'running', createdBy: marketer.id, startedAt: new Date(), intentForm: { enabled: true, products: ['空调'] } });
  const campaignId = String(campaign._id);
  const customerId = new mongoose.Types.ObjectId();
  const contacts = await Contact.insertMany(Array.from({ length: ROOTS }, (_, i) => ({ customerId, name: `联系人${i}`, phone: `1380000${String(i).padStart(4, '0')}` })));
  const tokens = await Promise.all(contacts.map((contact) => shareTokenOf(campaignId, { kind: 'contact', id: String(contact._id) })));
  const visitors: string[] = [];
  let seed = 42;
  const random = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed % n;
  };
  const view = async (i: number) => {
    const again = visitors.length > 0 && random(5) === 0;
    const visitorId = again ? visitors[random(visitors.length)]! : `bench-visitor-${i}`;
    const response = await postJson(`${qiao.url}/api/v1/track/view`, { campaignId, s: tokens[random(tokens.length)], visitorId });
    const body = response.body as { shareToken?: string };
    if (response.status !== 200 || !body.shareToken) throw new Error(`track/view answered ${response.status}`);
    if (!again) {
      visitors.push(visitorId);
      tokens.push(body.shareToken);
    }
  };
  await load(50, 4, view); // warm-up
  const trackRun = await costOf(() => load(VIEWS - 50, CONCURRENCY, view));
  const tracked = line('POST /api/v1/track/view', trackRun.result);
  console.log(`\ntrack/view reaches ${((tracked / raw) * 100).toFixed(0)}% of the raw insert rate (target ≥ 50%).`);
  console.log('\n| work per call | statements | documents | by collection (documents / call) | database CPU ms | bench process CPU ms |');
  console.log('|---|---:|---:|---|---:|---:|');
  printCost('raw insertOne', RAW, rawRun.cost);
  printCost('track/view (counters flushed)', VIEWS - 50, trackRun.cost);

  const { token } = await createSession('staff', marketer.id);
  const get = async (p: string) => {
    const response = await fetch(`${qiao.url}${p}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) throw new Error(`${p} answered ${response.status}`);
    await response.arrayBuffer();
  };
  const roots = (await (await fetch(`${qiao.url}/api/v1/campaigns/${campaignId}/share-tree`, { headers: { authorization: `Bearer ${token}` } })).json()) as { stats: { nodes: number; maxDepth: number; views: number }; nodes: Array<{ token: string }> };
  console.log(`\nthe campaign now: ${roots.stats.views} views, ${roots.stats.nodes} nodes, depth ${roots.stats.maxDepth}\n`);
  console.log('| read | n | p50 ms | p99 ms | max ms |');
  console.log('|---|---:|---:|---:|---:|');
  const reads: Array<[string, string]> = [
    ['share tree: roots', `/api/v1/campaigns/${campaignId}/share-tree`],
    ['share tree: children of the biggest root', `/api/v1/campaigns/${campaignId}/share-tree?parent=${roots.nodes[0]!.token}`],
    ['share tree: search a person', `/api/v1/campaigns/${campaignId}/share-tree?q=${encodeURIComponent('联系人7')}`],
    ['funnel', `/api/v1/campaigns/${campaignId}/funnel`],
    ['funnel as .xlsx', `/api/v1/campaigns/${campaignId}/funnel?format=xlsx`],
    ['spreaders of the campaign', `/api/v1/spreaders?campaignId=${campaignId}`],
  ];
  for (const [label, p] of reads) {
    await get(p);
    const samples = await timed(10, () => get(p));
    console.log(`| ${label} | ${samples.length} | ${ms(percentile(samples, 50))} | ${ms(percentile(samples, 99))} | ${ms(samples.at(-1)!)} |`);
  }

  await qiao.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

// After stop() a timer left by a dependency keeps Node alive for about 150 s (the server's own
// main.ts exits explicitly too): the script ends here rather than sit idle.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
