// The period of a report: China calendar days (both included) as instants, and the buckets a
// granularity cuts it into — every bucket listed, so a chart shows the empty ones as zero.
import type { ReportGranularity, ReportQuery } from '@qiao/shared';
import { chinaDate, chinaDayStart, DAY_MS } from '../../lib/china-time.js';

export interface Period {
  /** First and last China day, YYYY-MM-DD. */
  from: string;
  to: string;
  /** [start, end) as instants. */
  start: Date;
  end: Date;
  granularity: ReportGranularity;
}

const DEFAULT_DAYS = 30;

export function resolvePeriod(query: Pick<ReportQuery, 'from' | 'to' | 'granularity'>, now = new Date()): Period {
  const to = query.to ?? (query.from && query.from > chinaDate(now) ? query.from : chinaDate(now));
  const from = query.from ?? chinaDate(new Date(chinaDayStart(to).getTime() - (DEFAULT_DAYS - 1) * DAY_MS));
  return { from, to, start: chinaDayStart(from), end: new Date(chinaDayStart(to).getTime() + DAY_MS), granularity: query.granularity };
}

/** The China days of the period, in order. */
export function periodDayList(period: Pick<Period, 'start' | 'end'>): string[] {
  const days: string[] = [];
  for (let at = period.start.getTime(); at < period.end.getTime(); at += DAY_MS) days.push(chinaDate(new Date(at)));
  return days;
}

/** Monday of a China day's week, as YYYY-MM-DD. */
function weekOf(day: string): string {
  const at = Date.parse(`${day}T00:00:00Z`);
  const weekday = (new Date(at).getUTCDay() + 6) % 7; // Monday 0
  return new Date(at - weekday * DAY_MS).toISOString().slice(0, 10);
}

/** The bucket an instant falls in: `2026-11-22` (day), `2026-11-16周` (the week's Monday), `2026-11` (month). */
export function bucketOf(at: Date, granularity: ReportGranularity): string {
  const day = chinaDate(at);
  if (granularity === 'month') return day.slice(0, 7);
  if (granularity === 'week') return `${weekOf(day)}周`;
  return day;
}

/** Every bucket of the period, in order. */
export function periodBuckets(period: Period): string[] {
  const buckets: string[] = [];
  for (const day of periodDayList(period)) {
    const bucket = bucketOf(chinaDayStart(day), period.granularity);
    if (buckets.at(-1) !== bucket) buckets.push(bucket);
  }
  return buckets;
}

/** Whether an instant lies in the period. */
export const inPeriod = (at: Date | null | undefined, period: Pick<Period, 'start' | 'end'>): at is Date =>
  !!at && at.getTime() >= period.start.getTime() && at.getTime() < period.end.getTime();
