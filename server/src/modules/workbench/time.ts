// China calendar boundaries of the workbench: today, this week (Monday first).
import { chinaDate, chinaDayStart, DAY_MS } from '../../lib/china-time.js';

export const todayStart = (now: Date): Date => chinaDayStart(chinaDate(now));

/** Monday 00:00 China time of `now`'s week. */
export function weekStart(now: Date): Date {
  const today = todayStart(now);
  // The China weekday: the UTC weekday of the China calendar date (0 = Sunday).
  const weekday = new Date(`${chinaDate(now)}T00:00:00Z`).getUTCDay();
  return new Date(today.getTime() - ((weekday + 6) % 7) * DAY_MS);
}
