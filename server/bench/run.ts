// npm run bench — prints figures; nothing here passes or fails.
// BENCH_MESSAGES, BENCH_CONCURRENCY and BENCH_REQUESTS size the runs.
// Official Account message handling on the embedded database: WeChat waits 5 s for a reply, so
// the latency of a new message and of a retried one are what matters.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import { withDatabase } from '../src/db/embedded.js';
import { createLogger } from '../src/logger.js';
import { startQiao } from '../src/server.js';
import { buildInbound, messageXml } from '../src/wechat/oa/inbound.js';

const ADMIN_PASSWORD = 'bench-admin-pass';
const COUNT = Number(process.env.BENCH_MESSAGES ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function report(label: string, samples: number[], wallMs: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  const fmt = (n: number) => n.toFixed(1).padStart(7);
  console.log(
    `${label.padEnd(60)} n=${String(samples.length).padStart(4)}  p50 ${fmt(percentile(sorted, 50))} ms  p95 ${fmt(percentile(sorted, 95))} ms  max ${fmt(sorted.at(-1) ?? 0)} ms  ${(samples.length / (wallMs / 1000)).toFixed(0)} req/s`,
  );
}

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);

/**
 * The dispatcher's request list on a database holding BENCH_REQUESTS service requests: on
 * FerretDB/SQLite every filter but `_id` is a scan, so this is the figure that grows with data.
 */
async function benchDispatcherList(url: string) {
  const statuses = ['submitted', 'dispatched', 'accepted', 'in_progress', 'completed'] as const;
  const now = Date.now();
  const docs = Array.from({ length: REQUESTS }, (_, i) => ({
    number: `FW20260101-${String(i + 1).padStart(4, '0')}`,
    clientRequestId: randomUUID(),
    wechatUserId: `bench-user-${i % 300}`,
    customerId: new mongoose.Types.ObjectId().toString(),
    contactId: new mongoose.Types.ObjectId().toString(),
    type: i % 3 === 0 ? 'repair' : 'maintenance',
    status: statuses[i % statuses.length],
    description: `设备第 ${i} 号故障描述`,
    contactPhone: '13800000000',
    region: ['杭州', '宁波', '温州'][i % 3],
    productLine: ['空调', '热水器'][i % 2],
    department: '',
    requestedBy: new Date(now + ((i % 10) - 5) * 3600_000),
    createdAt: new Date(now - i * 60_000),
    updatedAt: new Date(now - i * 60_000),
  }));
  for (let i = 0; i < docs.length; i += 500) await mongoose.connection.collection('feedbacks').insertMany(docs.slice(i, i + 500));

  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { token } = (await login.json()) as { token: string };
  const queries = ['page=1&pageSize=20', 'page=5&pageSize=20&status=dispatched', 'page=1&pageSize=20&region=宁波&productLine=空调&overdue=true', 'page=1&pageSize=50&sort=requestedBy&q=故障'];
  for (const query of queries) {
    const samples: number[] = [];
    const started = performance.now();
    for (let i = 0; i < 30; i += 1) {
      const t = performance.now();
      const response = await fetch(`${url}/api/v1/feedbacks?${query}`, { headers: { authorization: `Bearer ${token}` } });
      await response.text();
      if (response.status !== 200) throw new Error(`list ${query}: ${response.status}`);
      samples.push(performance.now() - t);
    }
    report(`dispatcher list (${REQUESTS}) ${query.replace(/page=\d+&pageSize=\d+&?/, '') || 'all'}`.slice(0, 60), samples, performance.now() - started);
  }
}

async function main() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'qiao-bench-'));
  const external = process.env.MONGODB_URI;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    QIAO_DATA_DIR: dataDir,
    QIAO_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...(external ? { MONGODB_URI: withDatabase(external, `qiao_bench_${randomUUID().slice(0, 8)}`) } : {}),
  });
  const qiao = await startQiao(config, createLogger('silent'));
  const { token, appid } = config.wechat.oa;
  console.log(`database: ${external ? 'MongoDB (MONGODB_URI)' : 'embedded FerretDB'}; ${COUNT} messages, concurrency ${CONCURRENCY}`);

  const push = async (xml: string) => {
    const { query, body } = buildInbound(xml, { token, appid });
    const started = performance.now();
    const response = await fetch(`${qiao.url}/wechat/oa?${new URLSearchParams(query)}`, { method: 'POST', body });
    await response.text();
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    return performance.now() - started;
  };
  const text = (i: number) =>
    messageXml({ ToUserName: 'gh_bench', FromUserName: `oBench${i % 50}`, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'text', Content: '你好', MsgId: String(9_000_000_000 + i) });

  const run = async (label: string, make: (i: number) => string, concurrency: number) => {
    const samples: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < COUNT) samples.push(await push(make(next++)));
      }),
    );
    report(label, samples, performance.now() - started);
  };

  await run('text message, one at a time', text, 1);
  await run('retry of a handled message', text, 1);
  await run(`text message, ${CONCURRENCY} in flight`, (i) => text(i + COUNT), CONCURRENCY);
  await run(
    'subscribe event, one at a time',
    (i) => messageXml({ ToUserName: 'gh_bench', FromUserName: `oBenchFollow${i}`, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_bench' }),
    1,
  );

  await benchDispatcherList(qiao.url);

  await qiao.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
