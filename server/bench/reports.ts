// Service reports at the seeded size: service-volume over the default 30 days and a whole year
// (366 days), first as before the day rollups (no watermark: every request of the period read),
// then the backfill the job runs once, then through the rollups.
import mongoose from 'mongoose';
import { migrateWorkOrderFields } from '../src/db/migrations/work-order-fields.js';
import { refreshSalesDays } from '../src/modules/reports/sales-rollups.jobs.js';
import { refreshCalendarDays } from '../src/modules/service/calendar-days.js';
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
  marketerToken: string;
  /** The manager of a sales department and salesperson 0 (own leads plus 50 shared) of the sales world. */
  leadManagerToken: string;
  leadSalesToken: string;
}

/** With BENCH_ONLY, whether any report row is wanted (`reports` selects them all). */
export const wantedReports = () =>
  wanted('reports') || ['service-volume', 'customer-stats', 'engineer-workload', 'dispatch-calendar', 'lead-funnel', 'pool-movements', 'owner-performance'].some((name) => wanted(`reports: ${name}`));

const otherLabel = (name: string, days: number, who: string) => `reports: ${name} ${days} days, ${who}`;

/**
 * The other reports (engineers', sales') over the default 30 days (the calendar: 7 and 30), per
 * role. `BENCH_ONLY=engineer-workload,dispatch-calendar` times only the rows whose label names one.
 */
export async function benchOtherReports(url: string, size: number, viewers: ReportViewers): Promise<void> {
  // Seeded behind the services' back, as an upgraded database holds them: the job fills the sales
  // rollups (leads, follow-ups, customers) once, then the reports read them.
  const started = performance.now();
  await refreshSalesDays();
  row(size, 'reports: fill of the sales day rollups (in the job, once after seeding)', [performance.now() - started]);
  if (wanted('reports: customer-stats')) {
    const first = await samples(url, viewers.adminToken, periodOf(30), 1, 'customer-stats');
    if (typeof first === 'string') console.log(`| ${size} | reports: customer-stats 30 days, admin, first call after the fill | – | ${first} | | |`);
    else row(size, 'reports: customer-stats 30 days, admin, first call after the fill', first);
  }
  const cases: Array<[string, string, string, number]> = [
    ['customer-stats', 'admin', viewers.adminToken, 30],
    ['customer-stats', 'admin', viewers.adminToken, 366],
    ['customer-stats', 'manager (1 department)', viewers.managerToken, 30],
    ['customer-stats', 'sales', viewers.salesToken, 30],
    ['engineer-workload', 'admin', viewers.adminToken, 30],
    ['engineer-workload', 'dispatcher (1 department)', viewers.dispatcherToken, 30],
    ['dispatch-calendar', 'admin', viewers.adminToken, 7],
    ['dispatch-calendar', 'dispatcher (1 department)', viewers.dispatcherToken, 7],
    ['dispatch-calendar', 'admin', viewers.adminToken, 30],
    ['dispatch-calendar', 'dispatcher (1 department)', viewers.dispatcherToken, 30],
    ['lead-funnel', 'admin', viewers.adminToken, 30],
    ['lead-funnel', 'admin', viewers.adminToken, 366],
    ['lead-funnel', 'manager (1 sales department)', viewers.leadManagerToken, 30],
    ['lead-funnel', 'manager (1 sales department)', viewers.leadManagerToken, 366],
    ['lead-funnel', 'salesperson (own + 50 shared)', viewers.leadSalesToken, 30],
    ['lead-funnel', 'salesperson (own + 50 shared)', viewers.leadSalesToken, 366],
    ['lead-funnel', 'marketer', viewers.marketerToken, 30],
    ['lead-funnel', 'marketer', viewers.marketerToken, 366],
    ['pool-movements', 'admin', viewers.adminToken, 30],
    ['pool-movements', 'manager (1 department)', viewers.managerToken, 30],
    ['pool-movements', 'sales', viewers.salesToken, 30],
    ['owner-performance', 'admin', viewers.adminToken, 30],
    ['owner-performance', 'admin', viewers.adminToken, 366],
    ['owner-performance', 'manager (1 sales department)', viewers.leadManagerToken, 30],
    ['owner-performance', 'manager (1 sales department)', viewers.leadManagerToken, 366],
    ['owner-performance', 'salesperson (own + 50 shared)', viewers.leadSalesToken, 30],
    ['owner-performance', 'salesperson (own + 50 shared)', viewers.leadSalesToken, 366],
  ];
  // The seed writes work orders behind the services' back: their request fields are filled as the
  // start-up migration fills an earlier version's orders (timed: what an upgrade costs once).
  const migrated = performance.now();
  const filled = await migrateWorkOrderFields({ force: true });
  row(size, `reports: work orders given their request's department, number and time (${filled.records.work_orders} orders, once on upgrade)`, [performance.now() - migrated]);
  if (wanted('reports: dispatch-calendar')) {
    // What the job does after a start (the fill above restarted the calendar's day rollups).
    const calendarStarted = performance.now();
    await refreshCalendarDays();
    row(size, `reports: fill of the dispatch-calendar day rollups, last 31 days (in the job, once after the upgrade)`, [performance.now() - calendarStarted]);
  }
  for (const [name, who, token, days] of cases.filter(([name, who, , days]) => wanted(otherLabel(name, days, who)))) {
    const result = await samples(url, token, periodOf(days), OTHER_SAMPLES, name);
    if (typeof result === 'string') console.log(`| ${size} | ${otherLabel(name, days, who)} | – | ${result} | | |`);
    else row(size, otherLabel(name, days, who), result);
  }
}

const settings = () => mongoose.connection.collection<{ _id: string }>('settings');

export async function benchReports(url: string, size: number, adminToken: string): Promise<void> {
  if (!wanted('reports: service-volume')) return;
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
