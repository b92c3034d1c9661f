// Day rollups of customers for the customer statistics (report_customer_days): per China day of
// creation, the customers counted per department, facet (region, industry, grade) and value, and
// how many of them are in the pool. A customer's facets and owner change, but its creation day
// does not: a changed customer has its creation day recomputed whole (an indexed createdAt range),
// found through `updatedAt` (every write of customers goes through mongoose, which stamps it)
// since a watermark, read again 2 minutes back for clock skew and writes in flight. The job
// (`reports.sales-days`, every minute) fills the days after an upgrade (backfill) and catches up;
// each statistics call does the same first, usually finding nothing left. Writers in several
// processes converge without a lock, as the request rollups do (service/report-days.ts).
import { chinaDate } from '../../lib/china-time.js';
import { dayRange, FAR_FUTURE, readSawWrites, rollupWatermark, serialQueue, settleAll, type DayStore, type Versioned } from '../../lib/day-rollups.js';
import { Customer } from './customer.model.js';
import { CustomerDay, type CustomerCell, type CustomerDayDoc } from './report-days.model.js';

export type { CustomerCell, CustomerDayDoc } from './report-days.model.js';

/** Settings record of the watermark (absent until the backfill has finished). */
export const CUSTOMER_DAYS_STATE = 'reports.customerDays';
export const CUSTOMER_WATERMARK_OVERLAP_MS = 2 * 60_000;
const FACETS = ['region', 'industry', 'grade'] as const;
const FIELDS = { region: 1, industry: 1, grade: 1, department: 1, ownerId: 1, updatedAt: 1 } as const;
/** How often one recompute reads its day again when customers of the day keep changing meanwhile. */
const RECOMPUTE_ROUNDS = 5;

interface Row {
  region?: string | null;
  industry?: string | null;
  grade?: string | null;
  department?: string | null;
  ownerId?: string | null;
}

/** Cells of some customers, in first-seen order. */
export function summarizeCustomers(rows: Row[]): CustomerCell[] {
  const cells = new Map<string, CustomerCell>();
  for (const row of rows) {
    const department = row.department ?? '';
    for (const facet of FACETS) {
      const value = row[facet] ?? '';
      const key = JSON.stringify([department, facet, value]);
      let cell = cells.get(key);
      if (!cell) cells.set(key, (cell = { department, facet, value, total: 0, pool: 0 }));
      cell.total += 1;
      if (!row.ownerId) cell.pool += 1;
    }
  }
  return [...cells.values()];
}

/**
 * Stores the day replaced whole by what `rows` (read from `computedAt` on) give; true when it
 * stands (the read saw every customer of the day written since, day-rollups.ts). A writer that
 * began later and wrote already wins.
 */
export async function writeCustomerDay(day: string, rows: Array<Row & Versioned>, computedAt: Date): Promise<boolean> {
  const stored = await CustomerDay.findById(day, { computedAt: 1 }).lean<Pick<CustomerDayDoc, 'computedAt'>>();
  const newer = stored !== null && stored.computedAt.getTime() > computedAt.getTime();
  if (rows.length === 0 && !newer && stored) await CustomerDay.deleteOne({ _id: day });
  else if (rows.length > 0 && !newer) {
    const doc: CustomerDayDoc = { _id: day, total: rows.length, cells: summarizeCustomers(rows), computedAt };
    await CustomerDay.replaceOne({ _id: day }, doc, { upsert: true });
  }
  return readSawWrites(Customer, { createdAt: dayRange(day) }, rows, computedAt);
}

/** Recomputes one China day from its customers (see writeCustomerDay for concurrent writers). */
export async function recomputeCustomerDay(day: string): Promise<number> {
  let count = 0;
  for (let round = 0; round < RECOMPUTE_ROUNDS; round += 1) {
    const computedAt = new Date();
    const rows = await Customer.find({ createdAt: dayRange(day) }, FIELDS).lean<Array<Row & Versioned>>();
    count = rows.length;
    if (await writeCustomerDay(day, rows, computedAt)) break;
  }
  return count;
}

const { read: readWatermark, write: writeWatermark } = rollupWatermark(CUSTOMER_DAYS_STATE);


/** Refreshes in this process run one after another. */
const serially = serialQueue();

async function catchUp(watermark: Date): Promise<void> {
  const startedAt = new Date();
  const since = { $gt: new Date(watermark.getTime() - CUSTOMER_WATERMARK_OVERLAP_MS), $lt: FAR_FUTURE };
  const changed = await Customer.find({ updatedAt: since }, { createdAt: 1 }).lean<Array<{ createdAt: Date }>>();
  for (const day of [...new Set(changed.map((row) => chinaDate(row.createdAt)))].sort()) await recomputeCustomerDay(day);
  // Moves only after the days are written: a crash before this reads the same changes again.
  if (startedAt.getTime() > watermark.getTime()) await writeWatermark(startedAt);
}

const customerDayStore: DayStore<CustomerDayDoc> = {
  model: CustomerDay,
  count: (start, end) => Customer.countDocuments({ createdAt: { $gte: start, $lt: end } }),
  recompute: async (day) => void (await recomputeCustomerDay(day)),
};

/** The first customer's creation time (two-sided range: the index serves it). */
async function firstCreated(): Promise<Date | null> {
  const first = await Customer.find({ createdAt: { $gte: new Date(0), $lt: FAR_FUTURE } }, { createdAt: 1 }).sort({ createdAt: 1 }).limit(1).lean<Array<{ createdAt: Date }>>();
  return first[0]?.createdAt ?? null;
}

/** The first fill: every day with customers, found by counts by halves (lib/day-rollups.ts). */
async function backfill(): Promise<void> {
  const startedAt = new Date();
  await settleAll(customerDayStore, await firstCreated());
  await writeWatermark(startedAt);
}

/**
 * Catch-up (the first time: the fill), then every day from the first customer to today checked
 * against a count of its customers, by halves: a day that differs — a customer added or deleted
 * behind the services' back — is recomputed; an unchanged history costs one count.
 */
async function refresh(): Promise<boolean> {
  const watermark = await readWatermark();
  await (watermark ? catchUp(watermark) : backfill());
  return settleAll(customerDayStore, await firstCreated());
}

/** The job (`reports.sales-days`, every minute): what the statistics would do first, done ahead of them. */
export const refreshCustomerDays = () => serially(refresh).then(() => undefined);

/** Every stored day, brought up to date first (the job has usually done it: then one count and the watermark read). */
export async function customerDays(): Promise<CustomerDayDoc[]> {
  await serially(refresh);
  // Every day of the company's history: at most a few thousand small documents.
  return CustomerDay.find({}).lean<CustomerDayDoc[]>();
}
