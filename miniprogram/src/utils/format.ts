function pad(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** `2025-03-08 14:05` in the device's time zone; the raw text if it is not a date. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** The first `max` characters of a description on one line, with an ellipsis when cut. */
export function excerpt(text: string, max = 60): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(oneLine);
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : oneLine;
}

/** `2025-03-08` (the date part of an ISO date or date-time, in the device's time zone). */
export function formatDate(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** `YYYY-MM-DD` and `HH:mm` of a moment, as the date/time pickers want them. */
export function pickerParts(date: Date): { date: string; time: string } {
  return {
    date: `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`,
    time: `${pad(date.getHours())}:${pad(date.getMinutes())}`,
  };
}

/** Picker date + time (device time zone) → ISO date-time; null when the date is not set or invalid. */
export function fromPickerParts(date: string, time: string): string | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!d) return null;
  const t = /^(\d{2}):(\d{2})$/.exec(time || '00:00');
  const value = new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), t ? Number(t[1]) : 0, t ? Number(t[2]) : 0);
  return Number.isNaN(value.getTime()) ? null : value.toISOString();
}

/** `¥12.50` from fen. */
export function formatFen(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}

/** Yuan as typed (`12`, `12.5`, `12.50`) → integer fen without floating-point error; null if not a price. */
export function yuanToFen(input: string): number | null {
  const match = /^(\d{1,9})(?:\.(\d{0,2}))?$/.exec(input.trim());
  if (!match) return null;
  const cents = (match[2] ?? '').padEnd(2, '0');
  return Number(match[1]) * 100 + Number(cents);
}

/** `138 0013 8000` → the digits only. */
export function digitsOnly(value: string): string {
  return value.replace(/\D+/g, '');
}
