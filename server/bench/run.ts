// npm run bench — prints figures; nothing here passes or fails.
// Official Account message handling on the embedded database: WeChat waits 5 s for a reply, so
// the latency of a new message and of a retried one are what matters.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { withDatabase } from '../src/db/embedded.js';
import { createLogger } from '../src/logger.js';
import { startQiao } from '../src/server.js';
import { buildInbound, messageXml } from '../src/wechat/oa/inbound.js';

const COUNT = Number(process.env.BENCH_MESSAGES ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function report(label: string, samples: number[], wallMs: number) {
  const sorted = [...samples].sort((a, b) => a - b);
  const fmt = (n: number) => n.toFixed(1).padStart(7);
  console.log(
    `${label.padEnd(34)} n=${String(samples.length).padStart(4)}  p50 ${fmt(percentile(sorted, 50))} ms  p95 ${fmt(percentile(sorted, 95))} ms  max ${fmt(sorted.at(-1) ?? 0)} ms  ${(samples.length / (wallMs / 1000)).toFixed(0)} msg/s`,
  );
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

  await qiao.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

await main();
