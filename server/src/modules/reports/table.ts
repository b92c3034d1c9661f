// Building blocks of report answers: columns, tables, counters keyed by row and column, and the
// arithmetic FerretDB does not do (averages from sum and count, medians) done here.
import type { ReportCell, ReportChart, ReportColumn, ReportColumnKind, ReportFigure, ReportTable } from '@qiao/shared';

export const col = (key: string, title: string, kind: ReportColumnKind = 'number', charted = kind !== 'text'): ReportColumn => ({ key, title, kind, charted });
export const label = (key: string, title: string): ReportColumn => col(key, title, 'text', false);

export function table(key: string, title: string, chart: ReportChart | null, columns: ReportColumn[], rows: Array<Record<string, ReportCell>>): ReportTable {
  return { key, title, chart, columns, rows };
}

export const figure = (key: string, labelText: string, value: number | null, kind: ReportColumnKind = 'number'): ReportFigure => ({ key, label: labelText, value, kind });

/** One decimal place: what people read in hours and percentages. */
export const round1 = (value: number) => Math.round(value * 10) / 10;

/** Percentage of part in whole (one decimal), null without a whole. */
export const percent = (part: number, whole: number): number | null => (whole > 0 ? round1((part / whole) * 100) : null);

export const HOUR_MS = 3_600_000;
/** Average in hours of millisecond durations, null when there are none. */
export const averageHours = (values: number[]): number | null => (values.length ? round1(values.reduce((s, v) => s + v, 0) / values.length / HOUR_MS) : null);

/** Median in hours: the middle value, or the mean of the two middle ones. */
export function medianHours(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return round1(median / HOUR_MS);
}

/** Counts by row key and column key, rows kept in first-seen order unless listed up front. */
export class Tally {
  private readonly rows = new Map<string, Map<string, number>>();

  constructor(rowKeys: Iterable<string> = []) {
    for (const key of rowKeys) this.rows.set(key, new Map());
  }

  add(row: string, column: string, by = 1): void {
    let counts = this.rows.get(row);
    if (!counts) this.rows.set(row, (counts = new Map()));
    counts.set(column, (counts.get(column) ?? 0) + by);
  }

  get(row: string, column: string): number {
    return this.rows.get(row)?.get(column) ?? 0;
  }

  keys(): string[] {
    return [...this.rows.keys()];
  }

  /** Row keys by a column's count, largest first (ties by key). */
  keysBy(column: string): string[] {
    return this.keys().sort((a, b) => this.get(b, column) - this.get(a, column) || a.localeCompare(b));
  }
}

/** Rows of a tally: `labelKey` holds the row's label, then one cell per column key. */
export function tallyRows(tally: Tally, rowKeys: string[], labelKey: string, labelOf: (key: string) => string, columnKeys: string[]): Array<Record<string, ReportCell>> {
  return rowKeys.map((key) => {
    const row: Record<string, ReportCell> = { [labelKey]: labelOf(key) };
    for (const column of columnKeys) row[column] = tally.get(key, column);
    return row;
  });
}

/** A label for an empty grouping value (a customer without a region, …). */
export const orUnset = (value: string | null | undefined) => (value && value.trim() ? value : '未填写');
