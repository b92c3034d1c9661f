import dayjs from 'dayjs';

/** 2026-03-01 14:05, or “—” for nothing. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const parsed = dayjs(value);
  return parsed.isValid() ? parsed.format('YYYY-MM-DD HH:mm') : value;
}

/** 2026-03-01, or “—” for nothing. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const parsed = dayjs(value);
  return parsed.isValid() ? parsed.format('YYYY-MM-DD') : value;
}

const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Amounts are stored in fen (分): 12345 → ¥123.45. */
export function formatFen(amountFen: number): string {
  return `¥${yuan.format(amountFen / 100)}`;
}

/** “—” for an empty string, so empty table cells do not look broken. */
export function orDash(value: string | null | undefined): string {
  return value && value.trim() ? value : '—';
}

/** 11-25 22:08 within the current year, else 2025-11-25 22:08: for narrow table columns. */
export function formatShortDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const parsed = dayjs(value);
  if (!parsed.isValid()) return value;
  return parsed.format(parsed.year() === dayjs().year() ? 'MM-DD HH:mm' : 'YYYY-MM-DD HH:mm');
}
