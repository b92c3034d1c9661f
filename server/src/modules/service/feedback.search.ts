// Search of the dispatcher's request list: by request number (start, or its last digits), and by
// the customer (name, code, phone), contact (name, phone) and device (serial number) it concerns.
// Every part is an index lookup — the search keys of lib/search.ts, then
// `_id`/`customerId`/`contactId`/`productArchiveId` `$in` — within the list's other conditions
// (department scope included). A page reads from each way only the rows it shows, in the list's
// order, and merges them; the count is one capped, indexed count per way.
import { isObjectIdString } from '../../lib/db.js';
import { COUNT_CAP, flatFilter } from '../../lib/query.js';
import { FEW_MATCHES, normalizeSearchText, withinList, prefixKey, refsMatching, reversed, setSearchKeys, tailKey, type KeyQuery } from '../../lib/search.js';
import { matchingContactIds, matchingCustomerIds, matchingProductIds, type SearchMatch } from '../customers/search.service.js';
import { Feedback, type FeedbackDoc } from './feedback.model.js';

type Filter = Record<string, unknown>;

/**
 * A request's keys: its number as a prefix (`fw20261127-0012` normalised), and the digits of it
 * reversed, so "尾号 0012" is a prefix too. (The unique index on `number` cannot serve a range on
 * the embedded database: it is made on the raw JSON text, which equality uses.)
 */
export const requestSearchKeys = (number: string): string[] => [
  ...prefixKey('fn', normalizeSearchText(number)),
  ...tailKey('fq', number.replace(/\D/g, '')),
];

/** Keep a request's search keys (its number never changes: once, at submission). */
export async function indexRequestNumber(id: string, number: string): Promise<void> {
  await setSearchKeys({ ref: id, keys: requestSearchKeys(number) });
}

const numberLike = (q: string) => /^(fw)?[\d\s-]+$/i.test(q.trim());

/**
 * Lookups of a text as (part of) a request number: as typed (`FW20261127-00`, `fw2026…`); digits
 * from the date on (`20261127-0012`, `202611270012`); the last digits (from 3: `0012`, `27-0012`).
 */
export function numberQueries(q: string): KeyQuery[] {
  const text = normalizeSearchText(q);
  const digits = q.replace(/\D/g, '');
  const queries: KeyQuery[] = [];
  if (text.startsWith('fw')) queries.push({ tag: 'fn', value: text });
  if (numberLike(q) && digits.length >= 8) queries.push({ tag: 'fn', value: `fw${digits}` });
  if (numberLike(q) && digits.length >= 3) queries.push({ tag: 'fq', value: reversed(digits) });
  return queries;
}

async function requestsByNumber(q: string): Promise<SearchMatch> {
  const queries = numberQueries(q);
  if (queries.length === 0) return { ids: [], capped: false };
  const { refs, capped } = await refsMatching(queries);
  return { ids: refs.filter((id) => isObjectIdString(id)), capped };
}

/** A way of finding requests: its condition, to be read within the list's filter. */
export type SearchWay = Filter;

/** The ways a search finds requests, and whether any was cut short (too broad to list them all). */
export interface SearchWays {
  ways: SearchWay[];
  broad: boolean;
}

/**
 * The most customers, contacts or devices one way looks requests up by. A text matching more (a
 * common word: `联系人1` matches some 11,000 contacts of 40,000) is too broad to list every match:
 * the list shows the requests of the first of them and says 超过 N 条. The cost of each read grows
 * with this many ids in its `$in` (~0.1 ms each), so it stays well under the key search's cap.
 */
export const WAY_CANDIDATES = 1000;

/**
 * The ways `q` finds requests — by number, customer, contact, device — each an indexed `$in`
 * within the list's filter `base` (so another department's requests are never candidates).
 * Separate queries, not one `$or`: each is served by its index (a `$or` never is on FerretDB).
 */
export async function requestSearchWays(q: string, base: Filter): Promise<SearchWays> {
  const [numbers, customers, contacts, devices] = await Promise.all([
    requestsByNumber(q),
    matchingCustomerIds(q),
    matchingContactIds(q),
    matchingProductIds(q, { serialOnly: true }),
  ]);
  const found: Array<[field: string, match: SearchMatch]> = [
    ['_id', numbers],
    ['customerId', customers],
    ['contactId', contacts],
    ['productArchiveId', devices],
  ];
  const broad = found.some(([, match]) => match.capped || match.ids.length > WAY_CANDIDATES);
  const ways: Filter[] = found
    .filter(([, match]) => match.ids.length > 0)
    .map(([field, match]) => ({ [field]: { $in: match.ids.slice(0, WAY_CANDIDATES) } }));
  return {
    broad,
    ways: await Promise.all(
      ways.map(async (way) => {
        const few = (await Feedback.countDocuments(way, { limit: FEW_MATCHES + 1 })) <= FEW_MATCHES;
        return withinList(way, base, few);
      }),
    ),
  };
}

type SortSpec = Record<string, 1 | -1>;

/** Byte order of UTF-8 (how MongoDB and SQLite compare strings), not JavaScript's UTF-16 order. */
const compareStrings = (a: string, b: string) => (a === b ? 0 : Buffer.compare(Buffer.from(a), Buffer.from(b)));

/** MongoDB's order of the values a sort field holds here: null and missing first, then dates or strings. */
function compareValues(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  return compareStrings(String(a), String(b));
}

/** The order of `sort` on documents, as the database sorts them. */
export function comparatorOf(sort: SortSpec): (a: FeedbackDoc, b: FeedbackDoc) => number {
  const fields = Object.entries(sort);
  return (a, b) => {
    for (const [field, direction] of fields) {
      const order = compareValues((a as Record<string, unknown>)[field], (b as Record<string, unknown>)[field]);
      if (order !== 0) return order * direction;
    }
    return 0;
  };
}

/** Rows of a search's page a way reads at most without a cursor: deep pages go by cursor. */
export const SEARCH_PAGE_ROWS = COUNT_CAP + 100;

export interface SearchPage {
  docs: FeedbackDoc[];
  total: number;
  totalCapped: boolean;
}

/** How many requests the ways find together: exact up to COUNT_CAP, then capped (超过 1000 条). */
async function countOfWays({ ways, broad }: SearchWays): Promise<{ total: number; totalCapped: boolean }> {
  // One indexed count per way, stopped past the cap.
  const counts = await Promise.all(ways.map((way) => Feedback.countDocuments(way, { limit: COUNT_CAP + 1 })));
  if (counts.some((count) => count > COUNT_CAP)) return { total: COUNT_CAP, totalCapped: true };
  const found = ways.filter((_, i) => counts[i]! > 0);
  // A search cut short (WAY_CANDIDATES) has more matches than it counted: 超过 N 条.
  if (found.length <= 1) return { total: counts.reduce((a, b) => a + b, 0), totalCapped: broad };
  // A request may be found several ways (its customer and its contact): count it once. Each way
  // holds at most COUNT_CAP here, so this reads a bounded number of ids.
  const ids = await Promise.all(found.map((way) => Feedback.find(way, { _id: 1 }).limit(COUNT_CAP + 1).lean<Array<{ _id: unknown }>>()));
  const total = new Set(ids.flat().map((doc) => String(doc._id))).size;
  return total > COUNT_CAP ? { total: COUNT_CAP, totalCapped: true } : { total, totalCapped: broad };
}

/**
 * One page of a search: each way reads only the rows the page needs (sorted and limited by its
 * index: `skip + limit` rows, after the cursor's range when there is one), the ways are merged in
 * code — a request found several ways once — and the page cut from the merge. The union's first
 * `skip + limit` rows are each among the first `skip + limit` of their own way, so the page is
 * exact. `after` is the cursor's range (lib/query.ts `afterCursor`): its `skip` counts rows of the
 * merge already shown with the cursor's value.
 */
export async function searchRequestsPage(
  search: SearchWays,
  sort: SortSpec,
  window: { after: { condition: Filter; skip: number } | null; skip: number; limit: number },
): Promise<SearchPage> {
  const skip = window.after ? window.after.skip : window.skip;
  const read = skip + window.limit;
  const [lists, count] = await Promise.all([
    read > SEARCH_PAGE_ROWS && !window.after
      ? Promise.resolve([])
      : Promise.all(
          search.ways.map((way) =>
            Feedback.find(window.after ? flatFilter(way, window.after.condition) : way)
              .sort(sort)
              .limit(read)
              .lean<FeedbackDoc[]>(),
          ),
        ),
    countOfWays(search),
  ]);
  const merged = new Map<string, FeedbackDoc>();
  for (const doc of lists.flat()) merged.set(String(doc._id), doc);
  const docs = [...merged.values()].sort(comparatorOf(sort)).slice(skip, read);
  return { docs, ...count };
}
