// npm run bench — prints figures as Markdown table rows (paste into docs/benchmarks.md); nothing
// here passes or fails.
//   BENCH_SIZES=10000,100000  service-request counts to seed, in steps (default 2000: a few minutes)
//   BENCH_SAMPLES             calls per list/detail/search (default 5)
//   BENCH_MESSAGES            Official Account messages per run (default 640)
//   BENCH_OA_CONCURRENCY      messages in flight (default 32)
//   BENCH_OA_STORED           message-log size for the second OA run (default 100000)
//   BENCH_LOG                 server log level (default silent)
//   BENCH_LISTS=0             skip the lists; BENCH_REPORT_DIRECT_SAMPLES reports read without rollups (default 2)
//   BENCH_REPORT_SAMPLES      calls per engineers' / sales report (default 3)
//   MONGODB_URI               bench MongoDB instead of the embedded FerretDB (a fresh database)
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { withDatabase } from '../src/db/embedded.js';
import { migrateFollowDues } from '../src/db/migrations/follow-dues.js';
import { migrateLeadSearchKeys } from '../src/db/migrations/lead-search-keys.js';
import { rebuildSearchTerms } from '../src/db/migrations/search-terms.js';
import { createLogger } from '../src/logger.js';
import { startQiao } from '../src/server.js';
import { benchLists, wanted } from './lists.js';
import { benchOfficialAccount } from './oa.js';
import { header } from './report.js';
import { benchOtherReports, benchReports, wantedReports } from './reports.js';
import { benchSales } from './sales.js';
import { createSalesWorld, createWorld, seedSales, seedTo } from './seed.js';
import { benchWorkbench, salesPeople } from './workbench.js';

const ADMIN_PASSWORD = 'bench-admin-pass-2026';
const SIZES = (process.env.BENCH_SIZES ?? '2000').split(',').map((size) => Number(size.trim())).filter((size) => size > 0);
const OA_STORED = Number(process.env.BENCH_OA_STORED ?? 100_000);
/** `BENCH_OA=0` skips the Official Account part (when working on the lists). */
const WITH_OA = process.env.BENCH_OA !== '0';
/** `BENCH_LISTS=0` skips the lists (when working on the reports). */
const WITH_LISTS = process.env.BENCH_LISTS !== '0';

async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'qiao-bench-'));
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
  // BENCH_LOG=error shows why a request failed (the server runs in this process).
  const qiao = await startQiao(config, createLogger(process.env.BENCH_LOG ?? 'silent'));
  const { token, appid } = config.wechat.oa;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`# Qiao benchmark ${new Date().toISOString()}`);
  console.log(`database: ${external ? 'MongoDB (MONGODB_URI)' : 'embedded FerretDB'}; machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}`);
  console.log(`sizes ${SIZES.join(', ')}; customers = size / 5, contacts = size × 2 / 5, devices = size / 5`);

  // The Official Account endpoint first, on an empty database, beside a bare co-wechat handler.
  if (WITH_OA) await benchOfficialAccount(qiao.url, token, appid, OA_STORED);

  const adminToken = await login(qiao.url);
  const world = await createWorld();
  const sales = await createSalesWorld();
  for (const size of SIZES) {
    const started = performance.now();
    await seedTo(world, size);
    await seedSales(world, sales, size);
    const seeded = performance.now();
    // Seeded behind the services' back: the search keys are built as the start-up backfill does.
    const keyed = await rebuildSearchTerms();
    const salesKeysStarted = performance.now();
    const salesKeyed = await migrateLeadSearchKeys({ force: true });
    await migrateFollowDues({ force: true });
    console.log(`\nseeded ${sales.counts.leads} leads, ${sales.counts.opportunities} opportunities, ${sales.counts.followRecords} follow-up records; search keys of ${salesKeyed.records.leads + salesKeyed.records.opportunities} leads and opportunities in ${((performance.now() - salesKeysStarted) / 1000).toFixed(0)} s`);
    console.log(`\nseeded ${size} requests, ${world.counts.customers} customers, ${world.counts.contacts} contacts, ${world.counts.products} devices in ${((seeded - started) / 1000).toFixed(0)} s; search keys of ${Object.values(keyed).reduce((a, b) => a + b, 0)} records in ${((performance.now() - seeded) / 1000).toFixed(0)} s; RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB (bench + server in one process)`);
    header(`Lists, details and searches at ${size} service requests`);
    if (WITH_LISTS) await benchLists(qiao.url, size, world, adminToken);
    if (WITH_LISTS) await benchSales(qiao.url, size, sales, adminToken);
    // With BENCH_ONLY, the reports and the workbench run only when named (they take minutes at 100k).
    if (wantedReports()) {
      await benchReports(qiao.url, size, adminToken);
      const viewers = { adminToken, dispatcherToken: world.dispatcherToken, leadManagerToken: sales.managerToken, leadSalesToken: sales.salesToken };
      await benchOtherReports(qiao.url, size, { ...viewers, ...(await salesPeople(world)) });
    }
    if (wanted('workbench')) await benchWorkbench(qiao.url, size, world, adminToken);
  }

  await qiao.stop();
  rmSync(dataDir, { recursive: true, force: true });
}

// After stop() a timer left by a dependency keeps Node alive for about 150 s (the server's own
// main.ts exits explicitly too): the script ends here rather than sit idle.
await main();
process.exit(0);
