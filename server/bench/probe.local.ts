// Local probe (not committed): a persistent 100k database, timed API calls and SQLite plans.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import mongoose from 'mongoose';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { startQiao } from '../src/server.js';
import { createWorld, seedTo, type World } from './seed.js';

const DIR = '/tmp/p1probe/data';
const SIZE = Number(process.env.PROBE_SIZE ?? 100000);
mkdirSync(DIR, { recursive: true });
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', HOST: '127.0.0.1', QIAO_DATA_DIR: DIR, QIAO_ADMIN_PASSWORD: 'bench-admin-pass-2026' });
let t = performance.now();
const qiao = await startQiao(config, createLogger(process.env.BENCH_LOG ?? 'silent'));
console.log('start', Math.round(performance.now() - t));
const worldFile = '/tmp/p1probe/world.json';
let world: World;
if (!existsSync(worldFile)) {
  world = await createWorld();
  t = performance.now();
  await seedTo(world, SIZE);
  console.log('seed', Math.round(performance.now() - t));
  writeFileSync(worldFile, JSON.stringify(world));
} else world = JSON.parse(readFileSync(worldFile, 'utf8'));
const login = await fetch(`${qiao.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'bench-admin-pass-2026' }) });
const admin = ((await login.json()) as { token: string }).token;
const tokens: Record<string, string> = { admin, dispatcher: world.dispatcherToken, engineer: world.engineerToken, customer: world.customerToken };
const paths = (process.env.PROBE_PATHS ?? '').split(' ').filter(Boolean);
for (const spec of paths) {
  const [who, path] = spec.split('@') as [string, string];
  const ms: number[] = [];
  let body = '';
  for (let i = 0; i < 3; i += 1) {
    const s = performance.now();
    const r = await fetch(`${qiao.url}${path}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
    body = await r.text();
    ms.push(Math.round(performance.now() - s));
  }
  console.log(who, path, ms.join(' '), body.slice(0, 160).replace(/\n/g, ' '));
}
const explains = process.env.PROBE_EXPLAIN ? (JSON.parse(process.env.PROBE_EXPLAIN) as Array<[string, unknown, unknown]>) : [];
for (const [coll, filter, sort] of explains) {
  const f = JSON.parse(JSON.stringify(filter), (_k, v) => (typeof v === 'string' && v.startsWith('D:') ? new Date(v.slice(2)) : v));
  const r = await mongoose.connection.db!.command({ explain: { find: coll, filter: f, sort, limit: 20 } });
  console.log(coll, JSON.stringify(filter), JSON.stringify(sort), JSON.stringify(r.queryPlanner?.Plan ?? r.queryPlanner), r.filterPushdown, r.sortPushdown);
}
await qiao.stop();
