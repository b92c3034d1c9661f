import { z } from 'zod';

// zod compiles object parsers with `new Function` when it can, and probes for that at first use.
// The console and H5 run under a Content-Security-Policy without 'unsafe-eval', where the probe is
// reported as a violation: parse without the JIT everywhere (the difference is not measurable here).
z.config({ jitless: true });

export const objectIdSchema = z.string().regex(/^[a-f0-9]{24}$/, '编号无效');
export const objectIdParamSchema = z.object({ id: objectIdSchema }).strict();

/** Mainland mobile numbers, the only kind WeChat customers verify with. */
export const phoneSchema = z.string().trim().regex(/^1[3-9]\d{9}$/, '请输入正确的 11 位手机号');

/** Free text typed by a person: trimmed, bounded. */
export const text = (max: number, label: string) => z.string().trim().max(max, `${label}最多 ${max} 个字符`);
export const requiredText = (max: number, label: string) => text(max, label).min(1, `请填写${label}`);

/** True for a YYYY-MM-DD that exists on the calendar (no month 13, no 30 February). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls impossible dates over (2026-02-30 → 2026-03-02): a real date round-trips.
  return at.getUTCFullYear() === year && at.getUTCMonth() === month - 1 && at.getUTCDate() === day;
}

/** ISO date-time from JSON or a query string, with a real calendar date and a parseable instant. */
export const isoDateTime = z
  .string()
  .datetime({ offset: true, message: '时间格式不正确' })
  .refine((value) => isCalendarDate(value.slice(0, 10)) && Number.isFinite(Date.parse(value)), '时间格式不正确');
/** Calendar date YYYY-MM-DD that exists. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine(isCalendarDate, '日期不存在，请检查年月日');

/** `?q=` search over names, codes, phones: plain text, never an operator. */
export const searchQuerySchema = z.string().trim().max(50, '搜索词最多 50 个字符').optional();
