// One page, newest first, of the union of a few disjoint flat filters — e.g. "leads I own" and
// "leads shared with me" — read as separate indexed queries and merged in code instead of one
// `$or` (which the embedded database answers by reading every row). Pages by key (`createdAt`,
// ties by `_id`) when given a cursor, by page number otherwise.
import { badRequest } from '../errors.js';
import { afterCursor, cursorAfter, decodeCursor, flatFilter } from './query.js';

type Filter = Record<string, unknown>;

export interface KeyPageRequest {
  page: number;
  pageSize: number;
  cursor?: string | undefined;
}

export interface NewestRow {
  _id: unknown;
  createdAt: Date;
}

export interface KeyPage<T> {
  rows: T[];
  total: number;
  nextCursor: string | null;
}

/** The sort every source is read in and the merge follows: a total order, so pages never overlap. */
export const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;

export const invalidCursor = () => badRequest('CURSOR_INVALID', '翻页位置无效，请回到第一页');

const newerFirst = (a: NewestRow, b: NewestRow) => {
  const byTime = new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime();
  if (byTime !== 0) return byTime;
  const [x, y] = [String(a._id), String(b._id)];
  return x < y ? 1 : x > y ? -1 : 0;
};

/**
 * `sources` must not share rows (the caller makes them disjoint, e.g. with `ownerId: {$ne}`).
 * `find` reads one filter sorted by NEWEST_FIRST with skip and limit; `count` counts it.
 */
export async function newestFirstPage<T extends NewestRow>(options: {
  sources: Filter[];
  request: KeyPageRequest;
  find: (filter: Filter, skip: number, limit: number) => Promise<T[]>;
  count: (filter: Filter) => Promise<number>;
}): Promise<KeyPage<T>> {
  const { sources, request, find, count } = options;
  const cursor = request.cursor ? decodeCursor(request.cursor) : null;
  if (request.cursor && (!cursor || typeof cursor.value === 'string')) throw invalidCursor();
  if (sources.length === 0) return { rows: [], total: 0, nextCursor: null };
  const after = cursor ? afterCursor('createdAt', -1, cursor) : null;
  const skip = after ? after.skip : (request.page - 1) * request.pageSize;
  const paged = (source: Filter) => (after ? flatFilter(source, after.condition) : source);
  const counting = Promise.all(sources.map((source) => count(source)));
  let rows: T[];
  if (sources.length === 1) {
    rows = await find(paged(sources[0]!), skip, request.pageSize);
  } else {
    // Each source's first skip + pageSize rows hold the merged page's rows.
    const parts = await Promise.all(sources.map((source) => find(paged(source), 0, skip + request.pageSize)));
    rows = parts.flat().sort(newerFirst).slice(skip, skip + request.pageSize);
  }
  const total = (await counting).reduce((sum, n) => sum + n, 0);
  return { rows, total, nextCursor: cursorAfter(rows, request.pageSize, (row) => new Date(row.createdAt), cursor) };
}
