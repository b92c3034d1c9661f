// Day rollups of follow-up records for owner performance (report_follow_days): per China day, the
// records counted per department and author. Records are never edited (follow-record.model.ts):
// author, department and day are fixed once written, and `latest` is no figure here — so a day
// changes only by records added or removed, which the indexed count of every read finds
// (lib/day-rollups.ts). No watermark.
import { FollowRecord } from './follow-record.model.js';
import { daysOfPeriod, dayRange, FAR_FUTURE, replaceDay, settleAll, type DayStore } from '../../lib/day-rollups.js';
import { FollowDay, type FollowCell, type FollowDayDoc } from './report-days.model.js';

export type { FollowCell, FollowDayDoc } from './report-days.model.js';

export function summarizeFollows(rows: Array<{ authorId: string; department?: string | null }>): FollowCell[] {
  const cells = new Map<string, FollowCell>();
  for (const row of rows) {
    const department = row.department ?? '';
    const key = JSON.stringify([department, row.authorId]);
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { department, authorId: row.authorId, count: 0 }));
    cell.count += 1;
  }
  return [...cells.values()];
}

/** Recomputes one day; a writer that missed a record written meanwhile is corrected by the next read's count. */
export async function recomputeFollowDay(day: string): Promise<void> {
  const computedAt = new Date();
  const rows = await FollowRecord.find({ createdAt: dayRange(day) }, { authorId: 1, department: 1 }).lean<Array<{ authorId: string; department?: string | null }>>();
  await replaceDay(FollowDay, { _id: day, total: rows.length, cells: summarizeFollows(rows), computedAt });
}

const followDayStore: DayStore<FollowDayDoc> = {
  model: FollowDay,
  count: (start, end) => FollowRecord.countDocuments({ createdAt: { $gte: start, $lt: end } }),
  recompute: recomputeFollowDay,
  empty: (day, computedAt) => ({ _id: day, total: 0, cells: [], computedAt }),
};

/** The follow-up rollups of the China days [from, to]. */
export const followDays = (from: string, to: string): Promise<FollowDayDoc[]> => daysOfPeriod(followDayStore, from, to);

/** The job: every day from the first record to today filled and checked. */
export async function refreshFollowDays(now = new Date()): Promise<void> {
  const first = await FollowRecord.find({ createdAt: { $gte: new Date(0), $lt: FAR_FUTURE } }, { createdAt: 1 }).sort({ createdAt: 1 }).limit(1).lean<Array<{ createdAt: Date }>>();
  await settleAll(followDayStore, first[0]?.createdAt ?? null, now);
}
