// The Official Account endpoint under load (BENCH_OA_CONCURRENCY in flight, 32 by default), next
// to a bare Koa + co-wechat handler that touches no database: the difference is Qiao's own cost.
// Fair to both: each is warmed by the same burst before anything is measured, and every Qiao run
// sits between two bare runs; its share is of the faster of those two (the bare handler's JIT
// keeps warming while Qiao runs, so the later bare run is usually the faster one).
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import Koa from 'koa';
import wechat from 'co-wechat';
import { flushInteractions } from '../src/modules/identity/interaction.service.js';
import { flushConversationMessages } from '../src/modules/official-account/oa-message.store.js';
import { buildInbound, messageXml } from '../src/wechat/oa/inbound.js';
import { flushMessageLog } from '../src/wechat/oa/message-log.js';
import { header, percentile, row } from './report.js';
import { countStatements } from './statements.js';
import { seedMessages } from './seed.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 640);
const CONCURRENCY = Number(process.env.BENCH_OA_CONCURRENCY ?? 32);
/**
 * Messages sent to each side before measuring (not measured), the same number to both. Five runs'
 * worth by default: a server is measured as it runs for hours, JIT-warm. The bare handler is a few
 * functions and is warm after one burst; Qiao's path (the driver, mongoose, the handlers) is far
 * larger — with one burst of warm-up, its first measured run was ~10 points below its second.
 */
const WARM_MESSAGES = Number(process.env.BENCH_OA_WARM ?? MESSAGES * 5);

let msgSeq = 9_000_000_000 + Math.floor(Math.random() * 1_000_000) * 1000;

export interface OaTarget {
  url: string;
  token: string;
  appid: string;
}

/** A bare co-wechat endpoint on Koa answering every message with a fixed text (no database). */
export async function startBareWeChat(token: string, appid: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Koa();
  app.use(wechat({ token, appid }).middleware(async () => '您好，消息已收到。'));
  const server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat/oa`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let failures = 0;

interface SignedPush {
  url: string;
  body: string;
}

/** A push signed as WeChat signs it (the client's own work: XML, SHA-1, query string). */
function sign(target: OaTarget, xml: string): SignedPush {
  const { query, body } = buildInbound(xml, { token: target.token, appid: target.appid });
  return { url: `${target.url}?${new URLSearchParams(query)}`, body };
}

/** Time of one push; a non-200 answer is counted (WeChat would retry it) rather than ending the run. */
async function send({ url, body }: SignedPush): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', body });
  await response.text();
  if (response.status !== 200) failures += 1;
  return performance.now() - started;
}

const push = (target: OaTarget, xml: string) => send(sign(target, xml));

const over5s = (samples: number[]) => samples.filter((ms) => ms > 5_000).length;
/** The latency figure for the endpoint: p99 (the table's columns are p50, p95, max). */
const p99 = (samples: number[]) => percentile([...samples].sort((a, b) => a - b), 99).toFixed(1);

const text = (from: string) =>
  messageXml({ ToUserName: 'gh_bench', FromUserName: from, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'text', Content: '你好', MsgId: String((msgSeq += 1)) });

/** `count` new text messages from 200 users, CONCURRENCY in flight: the samples and the rate. */
async function burst(target: OaTarget, count: number, from = 'oBench'): Promise<{ samples: number[]; perSecond: number }> {
  // Signed before the clock starts, for both sides alike (signing is ~0.015 ms a push; the
  // client's real cost is `fetch` itself, in this process, which both servers share too).
  const signed = Array.from({ length: count }, (_, i) => sign(target, text(`${from}${(i + 1) % 200}`)));
  const samples: number[] = [];
  let next = 0;
  failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < signed.length) samples.push(await send(signed[next++]!));
    }),
  );
  return { samples, perSecond: samples.length / ((performance.now() - started) / 1000) };
}

/** MESSAGES new text messages; one row with the rate (and Qiao's share of `bare`, when given). */
export async function benchOa(size: number | string, label: string, target: OaTarget, bare?: number): Promise<number> {
  const { samples, perSecond } = await burst(target, MESSAGES);
  const share = bare ? `; ${((perSecond / bare) * 100).toFixed(0)}% of the faster bare run beside it, ${bare.toFixed(0)} msg/s` : '';
  row(size, `${label}, ${CONCURRENCY} in flight`, samples, ` (${perSecond.toFixed(0)} msg/s${share}; ${failures} not 200; ${over5s(samples)} over 5 s)`);
  return perSecond;
}

/** A burst to each side, not measured: collections created, both JITs warmed alike. */
export async function warmUp(...targets: OaTarget[]): Promise<void> {
  for (const target of targets) await burst(target, WARM_MESSAGES, 'oBenchWarm');
}

/** A retry of a message already handled: answered from its claim. */
export async function benchOaRetry(size: number | string, target: OaTarget): Promise<void> {
  const xml = text('oBenchRetry');
  await push(target, xml);
  const samples: number[] = [];
  for (let i = 0; i < 30; i += 1) samples.push(await push(target, xml));
  row(size, 'OA: retry of a handled message, 1 in flight', samples);
}

// ---- what a message costs the database: statements, documents, the database process's CPU ----

/** CPU ms used so far by this process's embedded database (Linux /proc; null elsewhere). */
export function databaseCpuMs(): number | null {
  try {
    let total: number | null = null;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid || !/ferret/i.test(stat.slice(0, stat.lastIndexOf(')')))) continue;
      // utime + stime, in clock ticks (100 per second on Linux).
      total = (total ?? 0) + (Number(fields[11]) + Number(fields[12])) * 10;
    }
    return total;
  } catch {
    return null;
  }
}

interface Cost {
  stored: number;
  statements: Map<string, { statements: number; documents: number }>;
  cpuMs: number | null;
}

/** Counts the statements mongoose sends (by collection and method) while `work` runs and its batches are written. */
async function costOf(stored: number, work: () => Promise<void>): Promise<Cost> {
  const counting = countStatements();
  const cpuBefore = databaseCpuMs();
  try {
    await work();
    // Everything the messages left to write, deferred writes included.
    await flushMessageLog();
    await flushConversationMessages().catch(() => {});
    await flushInteractions().catch(() => {});
  } finally {
    counting.stop();
  }
  const cpuAfter = databaseCpuMs();
  return { stored, statements: counting.stop(), cpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
}

function printCosts(costs: Cost[]): void {
  console.log('\n#### Official Account: database work per message (a run and the batches it leaves)\n');
  console.log('| stored messages | statements / msg | documents / msg | by collection (documents / msg) | database CPU ms / msg |');
  console.log('|---:|---:|---:|---|---:|');
  for (const { stored, statements, cpuMs } of costs) {
    const all = [...statements.values()];
    const per = (n: number) => (n / MESSAGES).toFixed(2);
    const by = [...statements].sort(([a], [b]) => a.localeCompare(b)).map(([key, { documents }]) => `${key} ${per(documents)}`).join(', ');
    const cpu = cpuMs === null ? '–' : (cpuMs / MESSAGES).toFixed(2);
    console.log(`| ${stored} | ${per(all.reduce((n, s) => n + s.statements, 0))} | ${per(all.reduce((n, s) => n + s.documents, 0))} | ${by} | ${cpu} |`);
  }
}

/**
 * The whole Official Account part: warm-up, then bare / Qiao / bare on an empty log, a retry,
 * and bare / Qiao / bare again with `stored` messages in the log (0: skipped).
 */
export async function benchOfficialAccount(url: string, token: string, appid: string, stored: number): Promise<void> {
  const bare = await startBareWeChat(token, appid);
  const bareOa = { url: bare.url, token, appid };
  const qiaoOa = { url: `${url}/wechat/oa`, token, appid };
  await warmUp(bareOa, qiaoOa);
  await flushMessageLog();
  header('Official Account endpoint');
  const costs: Cost[] = [];
  const bareLabel = `bare Koa + co-wechat (no database), ${CONCURRENCY} in flight`;
  const bareRow = ({ samples, perSecond }: { samples: number[]; perSecond: number }, notOk: number) =>
    row('–', bareLabel, samples, ` (${perSecond.toFixed(0)} msg/s; p99 ${p99(samples)} ms; ${notOk} not 200; ${over5s(samples)} over 5 s)`);
  const interleaved = async (size: number, label: string) => {
    const before = await burst(bareOa, MESSAGES);
    const beforeNotOk = failures;
    let qiao = { samples: [] as number[], perSecond: 0 };
    const cost = await costOf(size, async () => {
      qiao = await burst(qiaoOa, MESSAGES);
    });
    const qiaoNotOk = failures;
    const after = await burst(bareOa, MESSAGES);
    // Printed in the order they ran: bare, Qiao, bare.
    bareRow(before, beforeNotOk);
    const faster = Math.max(before.perSecond, after.perSecond);
    const share = `${((qiao.perSecond / faster) * 100).toFixed(0)}% of the faster bare run beside it, ${faster.toFixed(0)} msg/s`;
    row(size, `${label}, ${CONCURRENCY} in flight`, qiao.samples, ` (${qiao.perSecond.toFixed(0)} msg/s; ${share}; p99 ${p99(qiao.samples)} ms; ${qiaoNotOk} not 200; ${over5s(qiao.samples)} over 5 s)`);
    bareRow(after, failures);
    costs.push(cost);
  };
  await interleaved(0, 'OA: new text message, 0 stored messages');
  await benchOaRetry(0, qiaoOa);
  await flushMessageLog();
  if (stored > 0) {
    await seedMessages(stored);
    await interleaved(stored, `OA: new text message, ${stored} stored messages`);
  }
  printCosts(costs);
  await bare.close();
}
