// Day rollups of the dispatch calendar (report_calendar_days): per China day of dispatch, per
// department and assignee, the on-calendar orders counted and the first few in dispatch order —
// so a calendar of a month is ~30 documents, not a read per engineer and day. An order's dispatch
// day never changes (改派 makes a new order, 转派 changes the assignee only), its cell and status do:
// a day is always recomputed whole from its orders (an indexed range of one day). Which days: the
// orders written (`updatedAt`, stamped by mongoose on every write of the services, a department
// move included) since a watermark, read again 2 minutes back for clock skew and writes in flight,
// so a dispatch, 改派, 转派, cancel or completion shows in the next calendar (which recomputes a day
// once per change, see READ_MARGIN_MS). A day never filled is filled on its first read, and every
// read checks the period's stored totals against an indexed count by halves (lib/day-rollups.ts):
// an order added or removed behind our back is found too.
// Writers in several processes converge without a lock, as the other rollups do (leads/lead-days.ts).
import { CALENDAR_MAX_DAYS, type WorkOrderStatus } from '@qiao/shared';
import { chinaDate, DAY_MS } from '../../lib/china-time.js';
import { dayRange, daysFromTo, daysOfPeriod, FAR_FUTURE, IN_FLIGHT_MS, readSawWrites, replaceDay, rollupWatermark, serialQueue, type DayStore, type Versioned } from '../../lib/day-rollups.js';
import { writeSetting } from '../../lib/settings.js';
import { idsInclude } from '../org/scope.js';
import { byDispatch, CalendarDay, decodeCells, decodeOrder, encodeCells, encodeOrder, type CalendarCell, type CalendarDayDoc, type CalendarOrder } from './calendar-days.model.js';
import { CALENDAR_STATUSES, requestRefs } from './report.stats.js';
import { WorkOrder } from './work-order.model.js';

export type { CalendarOrder } from './calendar-days.model.js';

/** Orders a cell of the calendar lists; the others of the day are counted (另有 N 单). */
export const CALENDAR_CELL_ORDERS = 3;
export const CALENDAR_DAYS_JOB = 'service.calendar-days';
/** Settings record of the watermark (absent: nothing stored can be trusted, start afresh). */
export const CALENDAR_DAYS_STATE = 'reports.calendarDays';
const WATERMARK_OVERLAP_MS = 2 * 60_000;
/** How often one recompute reads its day again when its orders keep changing meanwhile. */
const RECOMPUTE_ROUNDS = 5;

interface OrderRow {
  _id: unknown;
  feedbackId: string;
  assigneeId: string;
  department?: string | null;
  status: string;
  dispatchedAt: Date;
  requestNumber?: string;
  requestedBy?: Date | null;
  updatedAt?: Date | null;
}
const FIELDS = { feedbackId: 1, assigneeId: 1, department: 1, status: 1, dispatchedAt: 1, requestNumber: 1, requestedBy: 1, updatedAt: 1 } as const;

/** Cells of one day's on-calendar orders, in first-seen order of dispatch. */
export async function summarizeOrders(rows: OrderRow[]): Promise<CalendarCell[]> {
  const orders = rows.map((row) => ({ row, id: String(row._id), dispatchedAt: row.dispatchedAt })).sort(byDispatch);
  const cells = new Map<string, { department: string; assigneeId: string; count: number; shown: OrderRow[] }>();
  for (const { row } of orders) {
    const department = row.department ?? '';
    const key = JSON.stringify([department, row.assigneeId]);
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { department, assigneeId: row.assigneeId, count: 0, shown: [] }));
    cell.count += 1;
    if (cell.shown.length < CALENDAR_CELL_ORDERS) cell.shown.push(row);
  }
  // Orders written before orders carried their request's number: looked up on the requests (few).
  const shown = [...cells.values()].flatMap((cell) => cell.shown);
  const refs = await requestRefs(shown.filter((row) => !row.requestNumber).map((row) => row.feedbackId));
  const orderOf = (row: OrderRow): CalendarOrder => {
    const ref = row.requestNumber ? undefined : refs.get(row.feedbackId);
    return {
      id: String(row._id),
      dispatchedAt: row.dispatchedAt,
      status: row.status,
      number: ref ? ref.number : (row.requestNumber ?? ''),
      requestedBy: ref ? ref.requestedBy : (row.requestedBy ?? null),
    };
  };
  return [...cells.values()].map((cell) => ({ department: cell.department, assigneeId: cell.assigneeId, count: cell.count, orders: cell.shown.map((row) => encodeOrder(orderOf(row))) }));
}

/** Whether the read of `day`'s orders from `readAt` on saw every order of the day written since (an order off the calendar now and not read counts as seen). */
const sawWritesOfDay = (day: string, read: OrderRow[], readAt: Date) =>
  readSawWrites<Versioned & { status: WorkOrderStatus }>(WorkOrder, { dispatchedAt: dayRange(day) }, read, readAt, (order) => CALENDAR_STATUSES.includes(order.status), { status: 1 });

/**
 * Recomputes one China day from its orders and stores it whole. With other writers of the day (the
 * job, reports in other processes): a writer whose read began later wins the write, and a writer
 * that finds its day changed since its read began reads again — the last write left standing is
 * by a writer whose read saw every change.
 */
export async function recomputeCalendarDay(day: string): Promise<number> {
  let count = 0;
  for (let round = 0; round < RECOMPUTE_ROUNDS; round += 1) {
    const computedAt = new Date();
    const rows = await WorkOrder.find({ status: { $in: CALENDAR_STATUSES }, dispatchedAt: dayRange(day) }, FIELDS).lean<OrderRow[]>();
    count = rows.length;
    await replaceDay(CalendarDay, { _id: day, total: rows.length, cells: encodeCells(await summarizeOrders(rows)), computedAt });
    // Beyond the rounds, the changes' own `updatedAt` brings the day back at the next catch-up.
    if (await sawWritesOfDay(day, rows, computedAt)) break;
  }
  return count;
}

const calendarDayStore: DayStore<CalendarDayDoc> = {
  model: CalendarDay,
  count: (start, end) => WorkOrder.countDocuments({ status: { $in: CALENDAR_STATUSES }, dispatchedAt: { $gte: start, $lt: end } }),
  recompute: async (day) => void (await recomputeCalendarDay(day)),
  empty: (day, computedAt) => ({ _id: day, total: 0, cells: encodeCells([]), computedAt }),
};

const { read: readWatermark, write: writeWatermark } = rollupWatermark(CALENDAR_DAYS_STATE);


/** Refreshes in this process run one after another. */
const serially = serialQueue();

/**
 * Recomputes the stored days whose orders were written since the watermark (days never filled wait
 * for their first read). A calendar recomputes a changed day only when a change is newer than the
 * stored day's read, less IN_FLIGHT_MS (a write in flight, clocks apart) — once per change, not at
 * every call while the day is in the overlap; the job recomputes with the whole overlap and
 * corrects a later straggler within a minute. Only the job moves the watermark, so a change a
 * calendar passed over stays in the job's read.
 */
async function catchUp(by: 'job' | 'calendar'): Promise<void> {
  const startedAt = new Date();
  const watermark = await readWatermark();
  if (!watermark) {
    // First run, or the state was removed: what is stored may be stale — start from nothing.
    await CalendarDay.deleteMany({});
    await writeWatermark(startedAt);
    return;
  }
  // Bounded on both sides: SQLite walks the updatedAt index for a two-sided range only.
  const since = { $gt: new Date(watermark.getTime() - WATERMARK_OVERLAP_MS), $lt: FAR_FUTURE };
  const written = await WorkOrder.find({ updatedAt: since }, { dispatchedAt: 1, updatedAt: 1 }).lean<Array<{ dispatchedAt: Date; updatedAt: Date }>>();
  const latest = new Map<string, number>();
  for (const order of written) {
    const day = chinaDate(order.dispatchedAt);
    latest.set(day, Math.max(latest.get(day) ?? 0, order.updatedAt.getTime()));
  }
  if (latest.size > 0) {
    const days = [...latest.keys()].sort();
    const stored = await CalendarDay.find({ _id: { $in: days } }, { computedAt: 1 }).lean<Array<{ _id: string; computedAt: Date }>>();
    const readAt = new Map(stored.map((doc) => [doc._id, doc.computedAt.getTime()]));
    const margin = by === 'job' ? WATERMARK_OVERLAP_MS : IN_FLIGHT_MS;
    for (const day of days) {
      const read = readAt.get(day);
      if (read !== undefined && latest.get(day)! >= read - margin) await recomputeCalendarDay(day);
    }
  }
  // Moves only after the days are written: a crash before this reads the same changes again.
  if (by === 'job' && startedAt.getTime() > watermark.getTime()) await writeWatermark(startedAt);
}

/** One engineer's cell of one day within some departments: the first orders and how many in all. */
export interface CalendarDayCell {
  count: number;
  orders: CalendarOrder[];
}

/**
 * The calendar of the China days [from, to] within `departments` (null: all): per assignee, per
 * day with orders, the first `CALENDAR_CELL_ORDERS` in dispatch order and the count. A scope of
 * several departments merges their cells (the first orders of the union are among each part's first).
 */
export async function calendarOf(departments: string[] | null, from: string, to: string): Promise<Map<string, Map<string, CalendarDayCell>>> {
  await serially(() => catchUp('calendar'));
  const docs = await daysOfPeriod(calendarDayStore, from, to);
  const out = new Map<string, Map<string, CalendarDayCell>>();
  for (const doc of docs) {
    for (const cell of decodeCells(doc.cells)) {
      if (cell.count === 0 || !idsInclude(departments, cell.department)) continue;
      let days = out.get(cell.assigneeId);
      if (!days) out.set(cell.assigneeId, (days = new Map()));
      const merged = days.get(doc._id);
      const orders = cell.orders.map(decodeOrder);
      if (!merged) days.set(doc._id, { count: cell.count, orders });
      else days.set(doc._id, { count: merged.count + cell.count, orders: [...merged.orders, ...orders].sort(byDispatch).slice(0, CALENDAR_CELL_ORDERS) });
    }
  }
  return out;
}

/**
 * Orders were written behind the services' back (no `updatedAt`: the start-up fill of their
 * request fields): the stored days are dropped at the next catch-up and filled again as read.
 */
export function restartCalendarDays(): Promise<void> {
  return serially(() => writeSetting(CALENDAR_DAYS_STATE, null, 'system'));
}

/** The job: the catch-up, then the days a calendar shows by default (the last CALENDAR_MAX_DAYS) filled if any is not. */
export function refreshCalendarDays(now = new Date()): Promise<void> {
  return serially(async () => {
    await catchUp('job');
    const days = daysFromTo(chinaDate(new Date(now.getTime() - (CALENDAR_MAX_DAYS - 1) * DAY_MS)), chinaDate(now));
    // A count of `_id`s answers from the index; the documents are read only when some day is missing.
    if ((await CalendarDay.countDocuments({ _id: { $in: days } })) < days.length) await daysOfPeriod(calendarDayStore, days[0]!, days.at(-1)!);
  });
}
