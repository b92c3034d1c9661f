// China has one time zone, UTC+8, and no daylight saving: calendar days, request numbers and the
// times shown in WeChat messages are all China time, whatever the server's zone.
export const CHINA_OFFSET_MS = 8 * 3600_000;
export const DAY_MS = 24 * 3600_000;

/** `2026-11-22T14:30:00.000` in China time (no zone suffix). */
const chinaIso = (at: Date) => new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 23);

/** `2026-11-22`: the China calendar day of an instant. */
export const chinaDate = (at: Date): string => chinaIso(at).slice(0, 10);

/** `2026-11-22 14:30`: China date and time to the minute. */
export const chinaDateTime = (at: Date): string => `${chinaIso(at).slice(0, 10)} ${chinaIso(at).slice(11, 16)}`;

/** Start of a China calendar day (`YYYY-MM-DD`) as an instant. */
export const chinaDayStart = (day: string): Date => new Date(Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS);
