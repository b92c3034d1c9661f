// Indexed search: every searchable record keeps a few string keys in `search_terms`, one document
// per (key, record), and a search is a handful of index range scans on `key` ("starts with"),
// never a `$regex` scan. Portable: plain strings, a range and `$in` — what MongoDB and the patched
// FerretDB both serve from an index (an array field would not be pushed down on FerretDB).
//
// Keys are `<tag>:<normalised value>`, the tag naming the record kind and field (e.g. `cn:` a
// customer's name). "Contains" is a prefix of one of the value's suffixes; "ends with" is a prefix
// of the reversed value. The modules decide which keys their records have.
import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './db.js';

const searchTermSchema = new Schema(
  {
    /** `<deterministic>`: `<ref>:<n>`, so two writers of the same keys do not duplicate them. */
    _id: { type: String, required: true },
    key: { type: String, required: true },
    /** The record's id (hex string for ObjectIds). */
    ref: { type: String, required: true },
  },
  { versionKey: false },
);
// Lookups by key range; upkeep by record.
searchTermSchema.index({ key: 1 });
searchTermSchema.index({ ref: 1 });

export const SearchTerm = mongoose.model('SearchTerm', searchTermSchema, 'search_terms');

/** The most candidates a single key range yields; past it a search is too broad and says so. */
export const CANDIDATE_CAP = 5000;
/** Suffix keys are cut at this many characters (queries too): keys stay short, matches exact enough. */
export const KEY_CHARS = 32;
/** Greater than every string in UTF-8 byte order (what MongoDB, Go and SQLite compare by). */
const MAX_CHAR = '\u{10FFFF}';

/**
 * What is compared: NFKC (full-width letters, digits and brackets become ASCII), lower case,
 * without white space, punctuation and symbols — `（杭州）蓝鲸科技` and `(杭州) 蓝鲸 科技` are one.
 */
export function normalizeSearchText(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}\p{Cc}\p{Cf}]+/gu, '');
}

/** The digits of a phone number as typed (`+86 138-0013-8000` → `13800138000`). */
export function phoneDigits(text: string): string {
  const digits = text.trim().replace(/^(\+|00)86/, '').replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}

/** Whether a query looks like (part of) a phone number: digits with spaces, dashes, brackets, a +. */
export const looksLikePhone = (text: string) => /^[\d\s+\-()（）]+$/.test(text.trim()) && /\d{3}/.test(text.replace(/\D/g, ''));

const chars = (text: string) => Array.from(text);
export const reversed = (text: string) => chars(text).reverse().join('');
const cut = (text: string) => chars(text).slice(0, KEY_CHARS).join('');

/** Keys for "contains": every suffix of at least two characters (the whole value always), cut. */
export function suffixKeys(tag: string, value: string): string[] {
  const all = chars(normalizeSearchText(value));
  const keys: string[] = [];
  for (let i = 0; i < all.length; i += 1) {
    if (i > 0 && all.length - i < 2) break;
    keys.push(`${tag}:${all.slice(i, i + KEY_CHARS).join('')}`);
  }
  return keys;
}

/** The key for "starts with" (`value` already normalised); none for an empty value. */
export const prefixKey = (tag: string, value: string): string[] => (value ? [`${tag}:${cut(value)}`] : []);

/** The key for "ends with": the reversed value, so a tail is a prefix of it. */
export const tailKey = (tag: string, value: string): string[] => (value ? [`${tag}:${cut(reversed(value))}`] : []);

/** The range of strings starting with `prefix`: what an index serves for "starts with". */
export const startingWith = (prefix: string) => ({ $gte: prefix, $lt: `${prefix}${MAX_CHAR}` });

/** A lookup: the key range of values starting with `value` under `tag`. */
export interface KeyQuery {
  tag: string;
  value: string;
}

/** The key range a lookup reads. */
const rangeOf = ({ tag, value }: KeyQuery) => startingWith(`${tag}:${cut(value)}`);

/**
 * The ids of records having a key that starts with one of `queries`, at most `cap` per query
 * (CANDIDATE_CAP by default; a caller that only needs to know whether there are more reads less).
 */
export async function refsMatching(queries: KeyQuery[], cap = CANDIDATE_CAP): Promise<{ refs: string[]; capped: boolean }> {
  const wanted = queries.filter((q) => q.value.length > 0);
  const results = await Promise.all(
    wanted.map(async (query) => {
      // A range on `key` and a limit: both pushed down, served by the `key` index.
      return SearchTerm.find({ key: rangeOf(query) }, { ref: 1 })
        .limit(cap + 1)
        .lean<Array<{ ref: string }>>();
    }),
  );
  const refs = new Set<string>();
  let capped = false;
  for (const rows of results) {
    if (rows.length > cap) capped = true;
    for (const row of rows.slice(0, cap)) refs.add(row.ref);
  }
  return { refs: [...refs], capped };
}

/**
 * Which of `refs` have a key starting with one of `queries`: the other way round from
 * `refsMatching`, for a text matching too many records to list — checked for the few records at
 * hand instead. One query per lookup, by `ref` `$in` and the key range (both pushed down; the
 * `ref` index reads the keys of just these records).
 */
export async function refsHavingKeys(refs: readonly string[], queries: KeyQuery[]): Promise<Set<string>> {
  const wanted = queries.filter((q) => q.value.length > 0);
  const unique = [...new Set(refs)];
  if (unique.length === 0 || wanted.length === 0) return new Set();
  const results = await Promise.all(
    wanted.map((query) => SearchTerm.find({ ref: { $in: unique }, key: rangeOf(query) }, { ref: 1 }).lean<Array<{ ref: string }>>()),
  );
  return new Set(results.flat().map((row) => row.ref));
}

/** An id no record has: `_id $in []` is not pushed down on FerretDB (a scan), one id is. */
const NO_MATCH = new mongoose.Types.ObjectId('000000000000000000000000');

/** The condition on `_id` of a search's matches; with none, one that an index answers at once. */
export const idsCondition = (ids: readonly unknown[]) => ({ _id: { $in: ids.length > 0 ? [...ids] : [NO_MATCH] } });

/** Matches this few are read by their index alone, the list's other conditions checked after. */
export const FEW_MATCHES = 200;

/**
 * `matches` (an `$in` on an indexed field) and the list's other conditions `rest`. With few
 * matches, `rest` goes into a `$and`, which FerretDB checks after the read: given an equality
 * beside the `$in` (a department), SQLite would otherwise walk that department's index instead.
 * With many, everything is pushed down, sort and limit included.
 */
export function withinList(matches: Record<string, unknown>, rest: Record<string, unknown>, few: boolean): Record<string, unknown> {
  if (Object.keys(rest).length === 0) return matches;
  return few ? { ...matches, $and: [rest] } : { ...rest, ...matches };
}

export interface RecordKeys {
  ref: string;
  keys: string[];
}

const documentsOf = (records: RecordKeys[]) =>
  records.flatMap(({ ref, keys }) => [...new Set(keys)].map((key, n) => ({ _id: `${ref}:${n}`, key, ref })));

/** Entries per insert: one insert is one SQLite transaction on FerretDB, holding the write lock. */
const INSERT_CHUNK = 500;
const isBusy = (error: unknown) => /database is locked|SQLITE_BUSY/.test((error as { message?: string } | null)?.message ?? '');

async function insertIgnoringDuplicates(docs: Array<{ _id: string; key: string; ref: string }>): Promise<void> {
  for (let i = 0; i < docs.length; i += INSERT_CHUNK) {
    const chunk = docs.slice(i, i + INSERT_CHUNK);
    for (let attempt = 1; ; attempt += 1) {
      try {
        // The driver's insert: entries are plain strings built here, and mongoose's per-document
        // casting and validation was the largest allocation of the Official Account's reply path.
        await SearchTerm.collection.insertMany(chunk as never[], { ordered: false });
        break;
      } catch (error) {
        // Another writer of the same record put the same entries in first.
        if (isDuplicateKey(error)) break;
        // SQLite busy past FerretDB's wait (a long write elsewhere): the chunk was rolled back, and
        // its entries have fixed ids, so trying again is safe.
        if (!isBusy(error) || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  }
}

/** Replace the search keys of records (after a create or an edit). */
export async function setSearchKeys(...records: RecordKeys[]): Promise<void> {
  if (records.length === 0) return;
  await SearchTerm.deleteMany({ ref: { $in: records.map((r) => r.ref) } });
  await insertIgnoringDuplicates(documentsOf(records));
}

/** Add the keys of records known to have none (a rebuild after clearing). */
export async function addSearchKeys(records: RecordKeys[]): Promise<void> {
  await insertIgnoringDuplicates(documentsOf(records));
}

/** Forget a deleted record. */
export async function removeSearchKeys(ref: string): Promise<void> {
  await SearchTerm.deleteMany({ ref });
}

/** Forget deleted records (a batch of a cleanup: keep `refs` to hundreds, one `$in`). */
export async function removeSearchKeysOf(refs: readonly string[]): Promise<void> {
  if (refs.length > 0) await SearchTerm.deleteMany({ ref: { $in: [...refs] } });
}
