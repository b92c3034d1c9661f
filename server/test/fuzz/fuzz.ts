// Shared pieces of the fuzz suite: a seeded random source (a failure replays with the seed in the
// test name, QIAO_FUZZ_SEED=<seed>), hostile values, raw HTTP on loopback, and the assertions
// every answer must pass.
import { request } from 'node:http';
import mongoose from 'mongoose';
import { expect } from 'vitest';
import { CUSTOMER_DAYS_STATE } from '../../src/modules/customers/report-days.js';
import { LEAD_DAYS_STATE } from '../../src/modules/leads/lead-days.js';
import { CALENDAR_DAYS_STATE } from '../../src/modules/service/calendar-days.js';
import { REPORT_DAYS_STATE } from '../../src/modules/service/report-days.js';
import { flushMessageLog } from '../../src/wechat/oa/message-log.js';

export const SEED = Number(process.env.QIAO_FUZZ_SEED ?? 20261127);

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function rng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
export type Rng = ReturnType<typeof rng>;

/** Strings that have broken parsers, validators and queries somewhere. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '$gt',
  '{"$gt":""}',
  '.*',
  '(a+)+$',
  '\\',
  '%00',
  '\u0000',
  '\ud800',
  '\uffff',
  '🙂'.repeat(20),
  '<script>alert(1)</script>',
  ']]><x>',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '2026-99-99',
  '2026-02-30',
  '2026-13-01',
  '2026-02-30T10:00:00Z',
  '2026-02-28T25:00:00+08:00',
  '0000-00-00',
  '9999-12-31T23:59:59.999Z',
  '13800138000',
  '1'.repeat(40),
  'ffffffffffffffffffffffff',
  '000000000000000000000000',
  'x'.repeat(5000),
];

export function randomString(r: Rng): string {
  if (r.chance(0.5)) return r.pick(HOSTILE_STRINGS);
  const alphabet = 'abcXYZ019 -_./:$%{}[]"\'<>&\\中文测试\u0000\u202e';
  return Array.from({ length: r.int(40) }, () => alphabet[r.int(alphabet.length)]).join('');
}

/** A random JSON value, nested up to `depth`. */
export function randomValue(r: Rng, depth = 3): unknown {
  const kind = r.int(depth > 0 ? 9 : 6);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return r.chance(0.5);
    case 2:
      return r.pick([0, -1, 1, 1.5, 2 ** 53, -(2 ** 63), 1e308, 100_001, 99, 3]);
    case 3:
    case 4:
    case 5:
      return randomString(r);
    case 6:
      return Array.from({ length: r.int(4) }, () => randomValue(r, depth - 1));
    case 7:
      return { $gt: '', $ne: null, $where: 'sleep(1000)' };
    default:
      return randomObject(r, [], depth - 1);
  }
}

/** An object with some of `keys` (the route's own field names) and some foreign ones. */
export function randomObject(r: Rng, keys: readonly string[], depth = 2): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (r.chance(0.7)) out[key] = randomValue(r, depth);
  if (r.chance(0.3)) out[r.pick(['__proto__', 'constructor', '$set', 'a.b', '_id', 'role', 'extra'])] = randomValue(r, depth);
  return out;
}

/** Percent-encodes every byte but [A-Za-z0-9-_.] (encodeURIComponent throws on lone surrogates). */
export const pct = (value: string) =>
  [...Buffer.from(value)].map((byte) => (/[A-Za-z0-9\-_.]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

/** Deeply nested JSON text. */
export const deepJson = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One HTTP request on loopback with exactly the bytes given (no client-side cleaning of the URL). */
export function rawRequest(
  base: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: Buffer | string; timeoutMs?: number },
): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method,
        path: options.path,
        // Node's client frames a GET/DELETE body only with an explicit length.
        headers: { ...options.headers, ...(options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) }) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 15_000, () => req.destroy(new Error(`timeout: ${options.method} ${options.path}`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/** What every answer must be: never 5xx; an API 4xx is `{"error":{"code","message"}}` (a browser page of the web authorisation: an HTML page). */
export function expectSound(label: string, path: string, response: RawResponse): void {
  expect(response.status, `${label}: ${response.status} ${response.text.slice(0, 300)}`).toBeLessThan(500);
  // The web-authorisation pages are opened by a browser: asked for HTML, they answer a Chinese page.
  const browserPage = path.startsWith('/api/v1/auth/oauth') && String(response.headers['content-type'] ?? '').startsWith('text/html');
  if (browserPage) {
    expect(response.text, `${label}: ${response.status} page`).toMatch(/^<!doctype html>[\s\S]*lang="zh-CN"/);
    return;
  }
  if (path.startsWith('/api/') && response.status >= 400) {
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      body = response.text;
    }
    expect(body, `${label}: ${response.status} ${JSON.stringify(response.headers)} error shape`).toEqual({
      error: expect.objectContaining({ code: expect.stringMatching(/^[A-Z][A-Z_]+$/), message: expect.any(String) }),
    });
  }
}

/** Document counts of every collection but the job queue's (jobs run on their own schedule). */
export async function documentCounts(): Promise<Record<string, number>> {
  // The Official Account message log is written in batches: count what earlier requests logged.
  await flushMessageLog();
  const db = mongoose.connection.db!;
  // Background work started by earlier, valid requests (jobs, and the access token they fetch from
  // WeChat) may write at any moment: not something a refused request stored.
  // The report day rollups are jobs' too (every minute, and their watermarks in `settings`).
  const background = /agenda|job|wechat_access_tokens|report_\w+_days/i;
  const backgroundSettings = [REPORT_DAYS_STATE, LEAD_DAYS_STATE, CUSTOMER_DAYS_STATE, CALENDAR_DAYS_STATE];
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((name) => !background.test(name));
  const counts: Record<string, number> = {};
  for (const name of names.sort()) {
    const filter = name === 'settings' ? { _id: { $nin: backgroundSettings } } : {};
    counts[name] = await db.collection<{ _id: unknown }>(name).countDocuments(filter as object);
  }
  return counts;
}

/**
 * Runs `count` requests, `batch` at a time in parallel; for a batch answered only with 4xx, the
 * database must hold exactly the documents it held before.
 */
export async function runBatches(
  count: number,
  batch: number,
  make: (index: number) => () => Promise<{ label: string; path: string; response: RawResponse }>,
): Promise<{ statuses: Record<number, number>; checkedBatches: number }> {
  const statuses: Record<number, number> = {};
  let checkedBatches = 0;
  for (let start = 0; start < count; start += batch) {
    const jobs = Array.from({ length: Math.min(batch, count - start) }, (_, offset) => make(start + offset));
    const before = await documentCounts();
    const results = await Promise.all(jobs.map((job) => job()));
    for (const { label, path, response } of results) {
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      expectSound(label, path, response);
    }
    if (results.every(({ response }) => response.status >= 400)) {
      checkedBatches += 1;
      expect(await documentCounts(), `stored something for 4xx: ${results.map((result) => result.label).join(' | ')}`).toEqual(before);
    }
  }
  return { statuses, checkedBatches };
}
