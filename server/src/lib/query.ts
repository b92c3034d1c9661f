// Small query helpers shared by the list endpoints: safe `$regex` search and paging.
import type { Paged } from '@qiao/shared';
import { badRequest } from '../errors.js';

/** Escape regex metacharacters so user text is matched literally (Go regex on FerretDB, JS on MongoDB). */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** `{$or: [{field: /q/i}, …]}` for a trimmed, non-empty `q`; `{}` otherwise. */
export function searchFilter(q: string | undefined, fields: readonly string[]): Record<string, unknown> {
  const text = q?.trim();
  if (!text) return {};
  const pattern = escapeRegex(text);
  return { $or: fields.map((field) => ({ [field]: { $regex: pattern, $options: 'i' } })) };
}

export interface PageRequest {
  page: number;
  pageSize: number;
}

export const skipOf = ({ page, pageSize }: PageRequest) => (page - 1) * pageSize;

export function paged<T>(items: T[], total: number, { page, pageSize }: PageRequest): Paged<T> {
  return { items, total, page, pageSize };
}

type Filter = Record<string, unknown>;

const isOperatorObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  !(value instanceof Date) &&
  Object.keys(value).length > 0 &&
  Object.keys(value).every((key) => key.startsWith('$'));

/**
 * The conjunction of `conditions` as one flat filter: a database serves top-level keys from its
 * indexes (FerretDB only ever looks at top-level keys), never conditions inside `$and`. Operators
 * on the same field are merged (`{$gte}` + `{$lt}`); what cannot be merged without changing the
 * meaning (two `$or`s, an equality and a range on one field, the same operator twice) goes to a
 * `$and` beside the top-level keys — equalities always stay on top.
 */
export function flatFilter(...conditions: Filter[]): Filter {
  const out: Filter = {};
  const rest: Filter[] = [];
  for (const condition of conditions) {
    for (const [key, value] of Object.entries(condition)) {
      if (key === '$and' && Array.isArray(value)) {
        rest.push(...(value as Filter[]));
        continue;
      }
      if (!(key in out)) {
        out[key] = value;
        continue;
      }
      const current = out[key];
      if (isOperatorObject(current) && isOperatorObject(value) && !Object.keys(value).some((op) => op in current)) {
        out[key] = { ...current, ...value };
      } else if (isOperatorObject(current) && !isOperatorObject(value) && key !== '$or') {
        // Keep the equality on top (it is what an index serves best), the operators beside it.
        out[key] = value;
        rest.push({ [key]: current });
      } else {
        rest.push({ [key]: value });
      }
    }
  }
  if (rest.length > 0) out.$and = rest;
  return out;
}

/** Counts past this are shown as "N+" for filters no index can serve (regex search scans). */
export const COUNT_CAP = 1000;

/** `total` and whether it stopped at `cap` (then the true count is larger). */
export async function cappedCount(
  count: (options: { limit?: number }) => Promise<number>,
  capped: boolean,
  cap = COUNT_CAP,
): Promise<{ total: number; totalCapped: boolean }> {
  if (!capped) return { total: await count({}), totalCapped: false };
  const total = await count({ limit: cap + 1 });
  return total > cap ? { total: cap, totalCapped: true } : { total, totalCapped: false };
}

/**
 * Key paging on one sort field (a date or a string that is never null): the next page is
 * `{field: {$lte|$gte: last value}}` sorted the same way, skipping the rows of that value already
 * shown — a range, a sort and a small skip that an index serves, instead of a skip that grows
 * with the page number. The cursor is opaque to clients: [kind, value, rows of value shown].
 */
export interface KeyCursor {
  value: Date | string;
  /** Rows with `value` already shown (ties on the sort key). */
  shown: number;
}

export function encodeCursor(cursor: KeyCursor): string {
  const value = cursor.value instanceof Date ? ['d', cursor.value.getTime()] : ['s', cursor.value];
  return Buffer.from(JSON.stringify([...value, cursor.shown])).toString('base64url');
}

/** The cursor, or null when it is not one this server made. */
export function decodeCursor(text: string): KeyCursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 3) return null;
    const [kind, value, shown] = parsed as unknown[];
    if (!Number.isSafeInteger(shown) || (shown as number) < 0 || (shown as number) > 100_000) return null;
    if (kind === 'd' && Number.isSafeInteger(value)) return { value: new Date(value as number), shown: shown as number };
    if (kind === 's' && typeof value === 'string' && value.length <= 100) return { value, shown: shown as number };
    return null;
  } catch {
    return null;
  }
}

/** The range condition and skip of the page after `cursor`, sorting `field` in `direction`. */
export function afterCursor(field: string, direction: 1 | -1, cursor: KeyCursor): { condition: Filter; skip: number } {
  return { condition: { [field]: { [direction === 1 ? '$gte' : '$lte']: cursor.value } }, skip: cursor.shown };
}

/** Where the page after `rows` starts; null when `rows` is not a full page (the last one). */
export function cursorAfter<T>(rows: readonly T[], pageSize: number, keyOf: (row: T) => Date | string, previous: KeyCursor | null): string | null {
  if (rows.length < pageSize || rows.length === 0) return null;
  const last = keyOf(rows.at(-1)!);
  const same = (value: Date | string) => (value instanceof Date && last instanceof Date ? value.getTime() === last.getTime() : value === last);
  let shown = 0;
  for (let i = rows.length - 1; i >= 0 && same(keyOf(rows[i]!)); i -= 1) shown += 1;
  // The whole page had the previous cursor's value: those shown before count too.
  if (shown === rows.length && previous && same(previous.value)) shown += previous.shown;
  return encodeCursor({ value: last, shown });
}

/**
 * The cursor of a list paged by a date field (`cursor` of its query); null without one. A cursor
 * this server did not make, or one of a string sort, answers 400 CURSOR_INVALID.
 */
export function dateCursorOf(text: string | undefined): KeyCursor | null {
  if (!text) return null;
  const cursor = decodeCursor(text);
  if (!(cursor?.value instanceof Date)) throw badRequest('CURSOR_INVALID', '翻页位置无效，请回到第一页');
  return cursor;
}
