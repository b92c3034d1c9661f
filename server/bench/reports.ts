// Service reports at the seeded size: service-volume over the default 30 days and a whole year
// (366 days), first as before the day rollups (no watermark: every request of the period read),
// then the backfill the job runs once, then through the rollups.
import mongoose from 'mongoose';
import { migrateWorkOrderFields } from '../src/db/migrations/work-order-fields.js';
import { REPORT_DAYS_STATE, refreshRequestDays } from '../src/modules/service/report-days.js';
import { wanted } from './lists.js';
import { row } from './report.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);
/** The direct path of a year may take minutes: fewer samples and a bound. */
const DIRECT_SAMPLES = Number(process.env.BENCH_REPORT_DIRECT_SAMPLES ?? 2);
const TIMEOUT_MS = 180_000;
/** The engineers' and sales reports (some read every order of the period: a few samples). */
const OTHER_SAMPLES = Number(process.env.BENCH_REPORT_SAMPLES ?? 3);

const chinaDay = (at: number) => new Date(at + 8 * 3600_000).toISOString().slice(0, 10);
const periodOf = (days: number) => `from=${chinaDay(Date.now() - (days - 1) * 86_400_000)}&to=${chinaDay(Date.now())}`;

async function timed(url: string, token: string, query: string, name = 'service-volume'): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/api/v1/reports/${name}?${query}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${name} ${query}: ${response.status} ${text.slice(0, 200)}`);
  return performance.now() - started;
}

async function samples(url: string, token: string, query: string, count: number, name?: string): Promise<number[] | string> {
  const list: number[] = [];
  try {
    for (let i = 0; i < count; i += 1) list.push(await timed(url, token, query, name));
  } catch (error) {
    return `failed: ${String(error).slice(0, 80)}`;
  }
  return list;
}

export interface ReportViewers {
  adminToken: string;
  /** A dispatcher and a manager of one department, a salesperson. */
  dispatcherToken: string;
  managerToken: string;
  salesToken: string;
}

const otherLabel = (name: string, days: number, who: string) => `reports: ${name} ${days} days, ${who}`;

/**
 * The other reports (engineers', sales') over the default 30 days (the calendar: 7 and 30), per
 * role. `BENCH_ONLY=engineer-workload,dispatch-calendar` times only the rows whose label names one.
 */
export async function benchOtherReports(url: string, size: number, viewers: ReportViewers): Promise<void> {
  const cases: Array<[string, string, string, number]> = [
    ['customer-stats', 'admin', viewers.adminToken, 30],
    ['customer-stats', 'manager (1 department)', viewers.managerToken, 30],
    ['customer-stats', 'sales', viewers.salesToken, 30],
    ['engineer-workload', 'admin', viewers.adminToken, 30],
    ['engineer-workload', 'dispatcher (1 department)', viewers.dispatcherToken, 30],
    ['dispatch-calendar', 'admin', viewers.adminToken, 7],
    ['dispatch-calendar', 'dispatcher (1 department)', viewers.dispatcherToken, 7],
    ['dispatch-calendar', 'admin', viewers.adminToken, 30],
    ['dispatch-calendar', 'dispatcher (1 department)', viewers.dispatcherToken, 30],
    ['lead-funnel', 'admin', viewers.adminToken, 30],
    ['pool-movements', 'admin', viewers.adminToken, 30],
    ['owner-performance', 'admin', viewers.adminToken, 30],
  ];
  // The seed writes work orders behind the services' back: their request fields are filled as the
  // start-up migration fills an earlier version's orders (timed: what an upgrade costs once).
  const started = performance.now();
  const filled = await migrateWorkOrderFields({ force: true });
  row(size, `reports: work orders given their request's department, number and time (${filled.records.work_orders} orders, once on upgrade)`, [performance.now() - started]);
  for (const [name, who, token, days] of cases.filter(([name, who, , days]) => wanted(otherLabel(name, days, who)))) {
    const result = await samples(url, token, periodOf(days), OTHER_SAMPLES, name);
    if (typeof result === 'string') console.log(`| ${size} | ${otherLabel(name, days, who)} | – | ${result} | | |`);
    else row(size, otherLabel(name, days, who), result);
  }
}

/** Whether any of the other reports' rows is asked for (BENCH_ONLY). */
export const otherReportsWanted = () => wanted('reports: engineer-workload dispatch-calendar customer-stats lead-funnel pool-movements owner-performance');

const settings = () => mongoose.connection.collection<{ _id: string }>('settings');

export async function benchReports(url: string, size: number, adminToken: string): Promise<void> {
  // Seeded behind the services' back: start from "never backfilled", as an upgraded database does.
  await settings().deleteOne({ _id: REPORT_DAYS_STATE });
  for (const days of [30, 366]) {
    const result = await samples(url, adminToken, periodOf(days), DIRECT_SAMPLES);
    const jobStepped = (await settings().countDocuments({ _id: REPORT_DAYS_STATE })) > 0;
    if (typeof result === 'string') console.log(`| ${size} | reports: service-volume ${days} days, reading every request | – | ${result} | | |`);
    else row(size, `reports: service-volume ${days} days, reading every request${jobStepped ? ' (the job backfilled meanwhile)' : ''}`, result);
    await settings().deleteOne({ _id: REPORT_DAYS_STATE });
  }
  const started = performance.now();
  const written = await refreshRequestDays();
  row(size, `reports: backfill of the day rollups (${written} days, in the job)`, [performance.now() - started]);
  for (const days of [30, 366]) {
    const result = await samples(url, adminToken, periodOf(days), SAMPLES);
    if (typeof result === 'string') console.log(`| ${size} | reports: service-volume ${days} days, day rollups | – | ${result} | | |`);
    else row(size, `reports: service-volume ${days} days, day rollups`, result);
  }
}
