// npm run bench:db (also part of npm run bench) — prints figures; nothing here passes or fails.
// The embedded database, stock FerretDB v1.24.2 against the build with server/embedded-db/patch,
// on service-request-shaped documents. BENCH_DB_SIZES (default "10000,100000") sizes the runs;
// BENCH_DB_BUDGET_MS (default 8000) caps the time spent on one query shape (slow stock queries
// then get fewer samples, at least 3); BENCH_DB_BUILDS (default "stock,patched") picks the builds.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, ObjectId, type Collection, type Document } from 'mongodb';
import { ensureFerretBinary } from '../src/db/embedded.js';

const SIZES = (process.env.BENCH_DB_SIZES ?? '10000,100000').split(',').map(Number);
const BUDGET_MS = Number(process.env.BENCH_DB_BUDGET_MS ?? 8_000);
const MAX_SAMPLES = 50;
const STATUSES = ['submitted', 'accepted', 'assigned', 'in_progress', 'done', 'closed'];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startFerret(binary: string, dataDir: string): Promise<{ child: ChildProcess; uri: string }> {
  const port = await freePort();
  const child = spawn(binary, ['--listen-addr', `127.0.0.1:${port}`, '--data-dir', dataDir], { stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('READY')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`FerretDB exited with ${code}`)));
    child.once('error', reject);
  });
  return { child, uri: `mongodb://127.0.0.1:${port}/` };
}

function serviceRequest(i: number): Document {
  return {
    _id: new ObjectId(),
    code: `SR${String(i).padStart(8, '0')}`,
    customerId: new ObjectId(),
    deviceId: new ObjectId(),
    status: STATUSES[i % STATUSES.length],
    category: ['repair', 'install', 'maintain'][i % 3],
    description: `设备故障描述 ${i}：开机后无响应，指示灯闪烁，已尝试断电重启。`,
    photos: i % 4 === 0 ? [`uploads/${i}-1.jpg`, `uploads/${i}-2.jpg`] : [],
    address: { province: '上海市', city: '上海市', district: '浦东新区', detail: `张江路 ${i} 号` },
    assigneeId: i % 3 === 0 ? null : new ObjectId(),
    createdAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000),
    updatedAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000 + 5_000),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measure(label: string, fn: (i: number) => Promise<unknown>): Promise<void> {
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < MAX_SAMPLES && (samples.length < 3 || performance.now() - started < BUDGET_MS)) {
    const t = performance.now();
    await fn(samples.length);
    samples.push(performance.now() - t);
  }
  const sorted = samples.sort((a, b) => a - b);
  const fmt = (n: number) => n.toFixed(1).padStart(8);
  console.log(`  ${label.padEnd(44)} n=${String(samples.length).padStart(3)}  p50 ${fmt(percentile(sorted, 50))} ms  p95 ${fmt(percentile(sorted, 95))} ms`);
}

async function bench(kind: string, binary: string, size: number): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'qiao-bench-db-'));
  const ferret = await startFerret(binary, dataDir);
  const client = await new MongoClient(ferret.uri).connect();
  try {
    const coll: Collection<Document> = client.db('bench').collection('servicerequests');
    // The indexes the service-request model declares for its list pages.
    await coll.createIndex({ status: 1, createdAt: -1 });
    const ids: ObjectId[] = [];
    const loadStarted = performance.now();
    for (let i = 0; i < size; i += 500) {
      const batch = Array.from({ length: Math.min(500, size - i) }, (_, j) => serviceRequest(i + j));
      for (const doc of batch) ids.push(doc._id as ObjectId);
      await coll.insertMany(batch);
    }
    console.log(`${kind} FerretDB, ${size} documents (loaded in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s)`);

    const pick = (i: number) => ids[(i * 7919) % ids.length] as ObjectId;
    await measure('find by _id', (i) => coll.findOne({ _id: pick(i) }));
    await measure('find by status, sort createdAt -1, limit 20', (i) =>
      coll.find({ status: STATUSES[i % STATUSES.length] }).sort({ createdAt: -1 }).limit(20).toArray(),
    );
    await measure('  … the same with skip 2000', (i) =>
      coll.find({ status: STATUSES[i % STATUSES.length] }).sort({ createdAt: -1 }).skip(2000).limit(20).toArray(),
    );
    await measure('countDocuments by status', (i) => coll.countDocuments({ status: STATUSES[i % STATUSES.length] }));
    await measure('find _id $in 50 ids', (i) => coll.find({ _id: { $in: Array.from({ length: 50 }, (_, j) => pick(i * 50 + j)) } }).toArray());
  } finally {
    await client.close();
    ferret.child.kill('SIGTERM');
    await new Promise((resolve) => ferret.child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const log = (message: string) => console.log(`[build] ${message}`);
const builds = (process.env.BENCH_DB_BUILDS ?? 'stock,patched').split(',');
const binaries = builds.map((kind) => [kind, ensureFerretBinary({ patched: kind !== 'stock', log })] as const);
for (const size of SIZES) {
  for (const [kind, binary] of binaries) await bench(kind, binary, size);
}
