// The Official Account endpoint under load (BENCH_OA_CONCURRENCY in flight, 32 by default), next
// to a bare Koa + co-wechat handler that touches no database: the difference is Qiao's own cost.
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import Koa from 'koa';
import wechat from 'co-wechat';
import { buildInbound, messageXml } from '../src/wechat/oa/inbound.js';
import { row } from './report.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 640);
const CONCURRENCY = Number(process.env.BENCH_OA_CONCURRENCY ?? 32);

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

const text = (from: string) =>
  messageXml({ ToUserName: 'gh_bench', FromUserName: from, CreateTime: Math.floor(Date.now() / 1000), MsgType: 'text', Content: '你好', MsgId: String((msgSeq += 1)) });

/**
 * MESSAGES new text messages from 200 users, CONCURRENCY in flight; one row with the rate. The
 * pushes are signed before the clock starts, for both sides alike (signing is ~0.015 ms a push;
 * the client's real cost is `fetch` itself, in this process, which both servers share too).
 * `bare` (the same run's bare rate) adds Qiao's share of it to the row.
 */
export async function benchOa(size: number | string, label: string, target: OaTarget, bare?: number): Promise<number> {
  const signed = Array.from({ length: MESSAGES }, (_, i) => sign(target, text(`oBench${(i + 1) % 200}`)));
  const samples: number[] = [];
  let next = 0;
  failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < signed.length) samples.push(await send(signed[next++]!));
    }),
  );
  const perSecond = samples.length / ((performance.now() - started) / 1000);
  const share = bare ? `; ${((perSecond / bare) * 100).toFixed(0)}% of bare` : '';
  row(size, `${label}, ${CONCURRENCY} in flight`, samples, ` (${perSecond.toFixed(0)} msg/s${share}; ${failures} not 200; ${over5s(samples)} over 5 s)`);
  return perSecond;
}

/** A few messages first, not measured: the first ones create collections and warm up both sides. */
export async function warmUp(target: OaTarget): Promise<void> {
  await Promise.all(Array.from({ length: 32 }, (_, i) => push(target, text(`oBenchWarm${i}`))));
}

/** A retry of a message already handled: answered from its claim. */
export async function benchOaRetry(size: number | string, target: OaTarget): Promise<void> {
  const xml = text('oBenchRetry');
  await push(target, xml);
  const samples: number[] = [];
  for (let i = 0; i < 30; i += 1) samples.push(await push(target, xml));
  row(size, 'OA: retry of a handled message, 1 in flight', samples);
}
