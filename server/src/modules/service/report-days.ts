// Day rollups of service requests for the reports (report_request_days): one document per China
// day holding, per department, what the service reports add up. A day is always recomputed whole
// from its requests (an indexed createdAt range of a few hundred), so writing it twice is harmless.
// Writers in several processes converge without a lock (see recomputeDay).
// Which days to recompute comes from `updatedAt` (every write path of requests goes through
// mongoose, which stamps it): the requests changed since a watermark, with a margin for clock skew
// and writes still in flight. The first refresh (no watermark) is the backfill, run by the job;
// until it has finished the reports read the requests directly.
import { chinaDate, chinaDayStart, DAY_MS } from '../../lib/china-time.js';
import { dayRange, FAR_FUTURE, readSawWrites, rollupWatermark, serialQueue } from '../../lib/day-rollups.js';
import { idsInclude } from '../org/scope.js';
import { isLowRating } from './rating.service.js';
import { Feedback } from './feedback.model.js';
import { RequestDay, type DayTimes, type DepartmentDay, type RequestDayDoc } from './report-days.model.js';
import { requestsCreatedBetween, type RequestStats } from './report.stats.js';

export type { DayTimes, DayRatings, DepartmentDay } from './report-days.model.js';

export const REPORT_DAYS_JOB = 'service.report-days';
export const REPORT_DAYS_INTERVAL = '1 minute';
/** Changes stamped this long before the watermark are read again (clock skew, in-flight writes). */
export const WATERMARK_OVERLAP_MS = 2 * 60_000;
/** Settings record of the watermark (absent until the backfill has finished). */
export const REPORT_DAYS_STATE = 'reports.requestDays';

export interface RequestDayFigures {
  day: string;
  departments: DepartmentDay[];
}

const emptyTimes = (): DayTimes => ({ count: 0, response: [], completion: [], vsRequested: [], withRequested: 0, overdueDone: 0, openDue: [] });

function addTimes(times: DayTimes, request: RequestStats): void {
  const created = request.createdAt.getTime();
  times.count += 1;
  if (request.acceptedAt) times.response.push(request.acceptedAt.getTime() - created);
  const done = request.status === 'completed' && request.completedAt;
  if (done) times.completion.push(request.completedAt!.getTime() - created);
  if (!request.requestedBy) return;
  times.withRequested += 1;
  const due = request.requestedBy.getTime();
  if (done) {
    times.vsRequested.push(request.completedAt!.getTime() - due);
    if (request.completedAt!.getTime() > due) times.overdueDone += 1;
  } else {
    times.openDue.push(due);
  }
}

/** The figures of some requests, per department (departments and keys in first-seen order). */
export function summarizeRequests(requests: RequestStats[]): DepartmentDay[] {
  const departments = new Map<string, DepartmentDay>();
  for (const request of requests) {
    let day = departments.get(request.department);
    if (!day) departments.set(request.department, (day = { department: request.department, total: 0, types: [], statuses: [], lines: [], ratings: [] }));
    day.total += 1;
    let type = day.types.find((entry) => entry.type === request.type);
    if (!type) day.types.push((type = { type: request.type, times: emptyTimes() }));
    addTimes(type.times, request);
    let status = day.statuses.find((entry) => entry.status === request.status);
    if (!status) day.statuses.push((status = { status: request.status, count: 0 }));
    status.count += 1;
    let line = day.lines.find((entry) => entry.line === request.productLine);
    if (!line) day.lines.push((line = { line: request.productLine, count: 0, completed: 0 }));
    line.count += 1;
    if (request.status === 'completed') line.completed += 1;
    if (!request.rating) continue;
    const engineerId = request.engineerId ?? '';
    let rating = day.ratings.find((entry) => entry.engineerId === engineerId && entry.productLine === request.productLine);
    if (!rating) day.ratings.push((rating = { engineerId, productLine: request.productLine, count: 0, timeliness: 0, attitude: 0, quality: 0, low: 0 }));
    const { timeliness, attitude, quality } = request.rating;
    rating.count += 1;
    rating.timeliness += timeliness;
    rating.attitude += attitude;
    rating.quality += quality;
    if (isLowRating({ timeliness, attitude, quality })) rating.low += 1;
  }
  return [...departments.values()];
}

/** How often one recompute reads its day again when requests of the day keep changing meanwhile. */
const RECOMPUTE_ROUNDS = 5;

/**
 * Recomputes one China day from its requests and stores it whole (an empty day is removed). Safe
 * with other writers of the day in other processes (the job, a report) without a lock: the
 * document is replaced whole, and after writing, a writer checks whether a request of the day was
 * written that its read did not see — if so, what it stored may be older than what another writer
 * stored before it, and it reads the day again. So the last write left standing is by a writer
 * whose read saw every change: two writers converge on what one alone would store.
 */
export async function recomputeDay(day: string): Promise<number> {
  const start = chinaDayStart(day);
  const end = new Date(start.getTime() + DAY_MS);
  let count = 0;
  for (let round = 0; round < RECOMPUTE_ROUNDS; round += 1) {
    const computedAt = new Date();
    const requests = await requestsCreatedBetween(null, start, end);
    count = requests.length;
    // Beyond the rounds, the changes' own `updatedAt` brings the day back at the next catch-up.
    if (await writeDay(day, requests, computedAt)) break;
  }
  return count;
}

/**
 * Stores the day's document, replaced whole by what `requests` (read from `computedAt` on) give.
 * True when it stands: the read saw every request of the day written since (day-rollups.ts).
 */
export async function writeDay(day: string, requests: RequestStats[], computedAt: Date): Promise<boolean> {
  const stored = await RequestDay.findById(day, { computedAt: 1 }).lean<Pick<RequestDayDoc, 'computedAt'>>();
  // A computation that began later has already written: it saw at least what this one saw.
  const newer = stored !== null && stored.computedAt.getTime() > computedAt.getTime();
  if (requests.length === 0 && !newer) await RequestDay.deleteOne({ _id: day });
  else if (requests.length > 0 && !newer) {
    const doc: RequestDayDoc = { _id: day, total: requests.length, departments: summarizeRequests(requests), computedAt };
    await RequestDay.replaceOne({ _id: day }, doc, { upsert: true });
  }
  const read = requests.map((request) => ({ _id: request.id, updatedAt: request.updatedAt }));
  return readSawWrites(Feedback, { createdAt: dayRange(day) }, read, computedAt);
}

const { read: readWatermark, write: writeWatermark } = rollupWatermark(REPORT_DAYS_STATE);


/** Refreshes in this process run one after another: a late stale write cannot pass a newer one. */
const serially = serialQueue();

async function catchUp(watermark: Date): Promise<number> {
  const startedAt = new Date();
  // Bounded on both sides: SQLite walks the updatedAt index for a two-sided range only (a lone `$gt` scans).
  const since = { $gt: new Date(watermark.getTime() - WATERMARK_OVERLAP_MS), $lt: FAR_FUTURE };
  const changed = await Feedback.find({ updatedAt: since }, { createdAt: 1 }).lean<Array<{ createdAt: Date }>>();
  const days = [...new Set(changed.map((request) => chinaDate(request.createdAt)))].sort();
  for (const day of days) await recomputeDay(day);
  // Moves only after the days are written: a crash before this reads the same changes again.
  if (startedAt.getTime() > watermark.getTime()) await writeWatermark(startedAt);
  return days.length;
}

/** Every day from the first request to today, recomputed; then the watermark (restart: from scratch). */
async function backfill(now: Date): Promise<number> {
  const startedAt = new Date();
  const first = await Feedback.find({}, { createdAt: 1 }).sort({ createdAt: 1 }).limit(1).lean<Array<{ createdAt: Date }>>();
  let days = 0;
  if (first[0]) {
    const last = chinaDate(now);
    for (let day = chinaDate(first[0].createdAt); day <= last; day = chinaDate(new Date(chinaDayStart(day).getTime() + DAY_MS))) {
      if ((await recomputeDay(day)) > 0) days += 1;
    }
  }
  await writeWatermark(startedAt);
  return days;
}

/** The job: the backfill the first time, afterwards the catch-up. Returns the days written. */
export function refreshRequestDays(now = new Date()): Promise<number> {
  return serially(async () => {
    const watermark = await readWatermark();
    return watermark ? catchUp(watermark) : backfill(now);
  });
}

/**
 * Before a report: the changes since the watermark. False while the backfill has not finished
 * (the report then reads the requests directly).
 */
export async function catchUpRequestDays(): Promise<boolean> {
  // Checked before queueing: a backfill running in the job must not hold a report up.
  if (!(await readWatermark())) return false;
  return serially(async () => {
    const watermark = await readWatermark();
    if (!watermark) return false;
    await catchUp(watermark);
    return true;
  });
}

/** Days of [from, to] whose stored total differs from the requests counted there (a write behind our back). */
async function repairCounts(from: string, to: string, stored: Map<string, RequestDayDoc>): Promise<boolean> {
  const start = chinaDayStart(from);
  const end = new Date(chinaDayStart(to).getTime() + DAY_MS);
  const total = [...stored.values()].reduce((sum, doc) => sum + doc.total, 0);
  if ((await Feedback.countDocuments({ createdAt: { $gte: start, $lt: end } })) === total) return false;
  await serially(async () => {
    for (let at = start.getTime(); at < end.getTime(); at += DAY_MS) {
      const day = chinaDate(new Date(at));
      const count = await Feedback.countDocuments({ createdAt: { $gte: new Date(at), $lt: new Date(at + DAY_MS) } });
      if (count !== (stored.get(day)?.total ?? 0)) await recomputeDay(day);
    }
  });
  return true;
}

async function storedDays(from: string, to: string): Promise<Map<string, RequestDayDoc>> {
  // The days by `_id` (pushed down as such), not a range: the collection holds every day ever.
  const days: string[] = [];
  for (let at = chinaDayStart(from).getTime(); at <= chinaDayStart(to).getTime(); at += DAY_MS) days.push(chinaDate(new Date(at)));
  const docs = await RequestDay.find({ _id: { $in: days } }).lean<RequestDayDoc[]>();
  return new Map(docs.map((doc) => [doc._id, doc]));
}

/**
 * The figures of the requests created in the China days [from, to], per day (days without
 * requests left out) and department, limited to `departments` (null: all).
 */
export async function requestDayFigures(departments: string[] | null, from: string, to: string): Promise<RequestDayFigures[]> {
  let days: Map<string, RequestDayDoc>;
  if (await catchUpRequestDays()) {
    days = await storedDays(from, to);
    if (await repairCounts(from, to, days)) days = await storedDays(from, to);
  } else {
    const start = chinaDayStart(from);
    const requests = await requestsCreatedBetween(departments, start, new Date(chinaDayStart(to).getTime() + DAY_MS));
    const byDay = new Map<string, RequestStats[]>();
    for (const request of requests) {
      const day = chinaDate(request.createdAt);
      const list = byDay.get(day) ?? [];
      byDay.set(day, list);
      list.push(request);
    }
    days = new Map([...byDay].map(([day, list]) => [day, { _id: day, total: list.length, departments: summarizeRequests(list), computedAt: new Date() }]));
  }
  return [...days.values()]
    .sort((a, b) => a._id.localeCompare(b._id))
    .map((doc) => ({ day: doc._id, departments: doc.departments.filter((entry) => idsInclude(departments, entry.department)) }));
}
