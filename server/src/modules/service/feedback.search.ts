// Search of the dispatcher's request list: by request number (start, or its last digits), and by
// the customer (name, code, phone), contact (name, phone) and device (serial number) it concerns.
// Every part is an index lookup — the search keys of lib/search.ts, then
// `_id`/`customerId`/`contactId`/`productArchiveId` `$in` — within the list's other conditions
// (department scope included). A page reads from each way only the rows it shows, in the list's
// order, and merges them; the count is one capped, indexed count per way. A text matching more
// records than an `$in` should carry (a common word) walks the list itself in its order instead,
// checking the rows' customers/contacts/devices against the search keys a page at a time.
import { isObjectIdString } from '../../lib/db.js';
import { COUNT_CAP, flatFilter } from '../../lib/query.js';
import { FEW_MATCHES, normalizeSearchText, withinList, prefixKey, refsHavingKeys, refsMatching, reversed, setSearchKeys, tailKey, type KeyQuery } from '../../lib/search.js';
import { contactQueries, customerQueries, productQueries } from '../customers/search.service.js';
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

/** A way of finding requests: its condition, to be read within the list's filter. */
export type SearchWay = Filter;

/**
 * A way whose text matches more records than WAY_CANDIDATES (a common word): too many to look
 * requests up by. The list itself is walked in its order instead, and each row's `field` (its
 * customer, contact, device or own id) checked against the way's key lookups.
 */
export interface WalkedWay {
  field: WayField;
  queries: KeyQuery[];
}

/** The ways a search finds requests, and whether any was cut short (too broad to list them all). */
export interface SearchWays {
  /** Ways with few enough matches: an indexed `$in` within the list's filter. */
  ways: SearchWay[];
  /** Ways with too many matches, found by walking the list (`base`). */
  walked: WalkedWay[];
  /** The first WAY_CANDIDATES matches of each walked way, as an `$in` way: counted, and read when the walk gives up. */
  firstOfWalked: Promise<SearchWay[]>;
  /** The list's filter (department scope and every other condition). */
  base: Filter;
  broad: boolean;
}

/**
 * The most customers, contacts or devices one way looks requests up by with an `$in`. A text
 * matching more (a common word: `联系人1` matches some 11,000 contacts of 40,000) is found by
 * walking the list instead (WalkedWay); its first matches still give the count (超过 N 条). The
 * cost of an `$in` read grows with its ids (~0.1 ms each), and so does the key lookup's.
 */
export const WAY_CANDIDATES = 1000;

type WayField = '_id' | 'customerId' | 'contactId' | 'productArchiveId';

/**
 * The ways `q` finds requests — by number, customer, contact, device — each an indexed `$in`
 * within the list's filter `base` (so another department's requests are never candidates), or a
 * walk of the list when the text matches too many records. Separate queries, not one `$or`: each
 * is served by its index (a `$or` never is on FerretDB).
 */
export async function requestSearchWays(q: string, base: Filter): Promise<SearchWays> {
  const kinds: Array<{ field: WayField; queries: KeyQuery[] }> = [
    { field: '_id', queries: numberQueries(q) },
    { field: 'customerId', queries: customerQueries(q) },
    { field: 'contactId', queries: contactQueries(q) },
    { field: 'productArchiveId', queries: productQueries(q, { serialOnly: true }) },
  ];
  // Each lookup reads at most WAY_CANDIDATES + 1 keys: enough to know a way is too broad.
  const found = await Promise.all(
    kinds.map(async (kind) => {
      const { refs, capped } = await refsMatching(kind.queries, WAY_CANDIDATES);
      const ids = refs.filter((id) => isObjectIdString(id));
      return { ...kind, ids, walk: capped || ids.length > WAY_CANDIDATES };
    }),
  );
  const inWay = async (field: WayField, ids: string[]) => {
    const way = { [field]: { $in: ids } };
    const few = (await Feedback.countDocuments(way, { limit: FEW_MATCHES + 1 })) <= FEW_MATCHES;
    return withinList(way, base, few);
  };
  const direct = found.filter((way) => !way.walk && way.ids.length > 0);
  const walked = found.filter((way) => way.walk);
  // Needed by the count and a walk that gives up, not by the walk: read beside it.
  const firstOfWalked = Promise.all(walked.map((way) => inWay(way.field, way.ids.slice(0, WAY_CANDIDATES))));
  firstOfWalked.catch(() => undefined);
  const ways = await Promise.all(direct.map((way) => inWay(way.field, way.ids)));
  return { ways, walked: walked.map(({ field, queries }) => ({ field, queries })), firstOfWalked, base, broad: walked.length > 0 };
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
async function countOfWays(ways: SearchWay[], broad: boolean): Promise<{ total: number; totalCapped: boolean }> {
  // One indexed count per way, stopped past the cap.
  const counts = await Promise.all(ways.map((way) => Feedback.countDocuments(way, { limit: COUNT_CAP + 1 })));
  if (counts.some((count) => count > COUNT_CAP)) return { total: COUNT_CAP, totalCapped: true };
  const found = ways.filter((_, i) => counts[i]! > 0);
  // A search with a walked way has more matches than it counted (its first WAY_CANDIDATES
  // records' requests): 超过 N 条.
  if (found.length <= 1) return { total: counts.reduce((a, b) => a + b, 0), totalCapped: broad };
  // A request may be found several ways (its customer and its contact): count it once. Each way
  // holds at most COUNT_CAP here, so this reads a bounded number of ids.
  const ids = await Promise.all(found.map((way) => Feedback.find(way, { _id: 1 }).limit(COUNT_CAP + 1).lean<Array<{ _id: unknown }>>()));
  const total = new Set(ids.flat().map((doc) => String(doc._id))).size;
  return total > COUNT_CAP ? { total: COUNT_CAP, totalCapped: true } : { total, totalCapped: broad };
}

/** Rows of the list a walk reads first, and at most (past that its ways are too sparse to walk). */
const WALK_FIRST = 100;
export const WALK_ROWS = 1000;

/**
 * The first `read` rows of the list (`filter`, in `sort` order, by its index) that a walked way
 * finds: pages of the list, each row's customer/contact/device/id checked against the ways' key
 * lookups in one query per lookup. The next page is sized by the share of rows found so far.
 * `complete` is false when WALK_ROWS rows held too few: the rows found are the matches of the part
 * of the list walked.
 */
export async function walkList(walked: WalkedWay[], filter: Filter, sort: SortSpec, read: number): Promise<{ rows: FeedbackDoc[]; complete: boolean }> {
  const hits: FeedbackDoc[] = [];
  const budget = Math.max(WALK_ROWS, read * 2);
  const valueOf = (row: FeedbackDoc, field: WayField) => {
    const value = (row as Record<string, unknown>)[field];
    return value === null || value === undefined ? '' : String(value);
  };
  let walkedRows = 0;
  let take = Math.min(budget, Math.max(WALK_FIRST, read * 3));
  for (;;) {
    const rows = await Feedback.find(filter).sort(sort).skip(walkedRows).limit(take).lean<FeedbackDoc[]>();
    walkedRows += rows.length;
    const found = await Promise.all(walked.map((way) => refsHavingKeys(rows.map((row) => valueOf(row, way.field)).filter(Boolean), way.queries)));
    for (const row of rows) {
      if (walked.some((way, i) => found[i]!.has(valueOf(row, way.field)))) hits.push(row);
      if (hits.length >= read) return { rows: hits, complete: true };
    }
    if (rows.length < take) return { rows: hits, complete: true };
    if (walkedRows >= budget) return { rows: hits, complete: false };
    // As many rows again as the share found so far says are needed, with a margin.
    const wanted = hits.length > 0 ? Math.ceil(((read - hits.length) * walkedRows * 1.3) / hits.length) + 20 : take * 2;
    take = Math.min(budget - walkedRows, Math.max(wanted, WALK_FIRST));
  }
}

/**
 * One page of a search: each `$in` way reads only the rows the page needs (sorted and limited by
 * its index: `skip + limit` rows, after the cursor's range when there is one), a walked way the
 * first as many of the list that it finds; they are merged in code — a request found several ways
 * once — and the page cut from the merge. The union's first `skip + limit` rows are each among the
 * first `skip + limit` of their own way, so the page is exact. When a walk gives up (a text
 * matching many records with few requests among them) the requests of its first WAY_CANDIDATES
 * records are read instead, as the count does (the total says 超过 N 条). `after` is the cursor's
 * range (lib/query.ts `afterCursor`): its `skip` counts rows of the merge already shown with the
 * cursor's value.
 */
export async function searchRequestsPage(
  search: SearchWays,
  sort: SortSpec,
  window: { after: { condition: Filter; skip: number } | null; skip: number; limit: number },
): Promise<SearchPage> {
  const skip = window.after ? window.after.skip : window.skip;
  const read = skip + window.limit;
  const within = (filter: Filter) => (window.after ? flatFilter(filter, window.after.condition) : filter);
  const readWay = (way: Filter) => Feedback.find(within(way)).sort(sort).limit(read).lean<FeedbackDoc[]>();
  const rowsOfPage = async (): Promise<FeedbackDoc[]> => {
    if (read > SEARCH_PAGE_ROWS && !window.after) return [];
    const [direct, walk] = await Promise.all([
      Promise.all(search.ways.map(readWay)),
      search.walked.length > 0 ? walkList(search.walked, within(search.base), sort, read) : { rows: [], complete: true },
    ]);
    const fallback = walk.complete ? [] : await Promise.all((await search.firstOfWalked).map(readWay));
    return [...direct.flat(), ...walk.rows, ...fallback.flat()];
  };
  const [rows, count] = await Promise.all([rowsOfPage(), search.firstOfWalked.then((first) => countOfWays([...search.ways, ...first], search.broad))]);
  const merged = new Map<string, FeedbackDoc>();
  for (const doc of rows) merged.set(String(doc._id), doc);
  const docs = [...merged.values()].sort(comparatorOf(sort)).slice(skip, read);
  return { docs, ...count };
}
