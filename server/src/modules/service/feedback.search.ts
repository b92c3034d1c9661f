// Search of the dispatcher's request list: by request number (start, or its last digits), and by
// the customer (name, code, phone), contact (name, phone) and device (serial number) it concerns.
// Every part is an index lookup — the search keys of lib/search.ts, then
// `_id`/`customerId`/`contactId`/`productArchiveId` `$in` — within the list's other conditions
// (department scope included), and the list then reads the matches by `_id $in`.
import { isObjectIdString } from '../../lib/db.js';
import { COUNT_CAP } from '../../lib/query.js';
import { FEW_MATCHES, idsCondition, normalizeSearchText, withinList, prefixKey, refsMatching, reversed, setSearchKeys, tailKey, type KeyQuery } from '../../lib/search.js';
import { matchingContactIds, matchingCustomerIds, matchingProductIds, type SearchMatch } from '../customers/search.service.js';
import { Feedback } from './feedback.model.js';

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

/** The list's sort (`-createdAt`, `number`, …) as a sort of the lookups, ties by `_id`. */
function sortOf(sort: string): Record<string, 1 | -1> {
  const direction = sort.startsWith('-') ? -1 : 1;
  return { [sort.replace(/^-/, '')]: direction, _id: direction };
}

/**
 * The condition narrowing the list's filter `base` to the requests `q` finds: `_id $in` the
 * matches of every way of finding them, each looked up within `base` (so another department's
 * requests are never candidates) in the list's order, at most COUNT_CAP + 1 per way: the first
 * 1,000 rows of the list are exact, and a count past the cap says so (超过 1000 条).
 */
export async function requestSearchCondition(q: string, base: Filter, sort = '-createdAt'): Promise<Filter> {
  const [numbers, customers, contacts, devices] = await Promise.all([
    requestsByNumber(q),
    matchingCustomerIds(q),
    matchingContactIds(q),
    matchingProductIds(q, { serialOnly: true }),
  ]);
  const ways: Filter[] = [
    ...(numbers.ids.length > 0 ? [{ _id: { $in: numbers.ids } }] : []),
    ...(customers.ids.length > 0 ? [{ customerId: { $in: customers.ids } }] : []),
    ...(contacts.ids.length > 0 ? [{ contactId: { $in: contacts.ids } }] : []),
    ...(devices.ids.length > 0 ? [{ productArchiveId: { $in: devices.ids } }] : []),
  ];
  // Separate queries, not one `$or`: each is served by its index (a `$or` never is on FerretDB).
  const found = await Promise.all(
    ways.map(async (way) => {
      const few = (await Feedback.countDocuments(way, { limit: FEW_MATCHES + 1 })) <= FEW_MATCHES;
      return Feedback.find(withinList(way, base, few), { _id: 1 })
        .sort(sortOf(sort))
        .limit(COUNT_CAP + 1)
        .lean<Array<{ _id: unknown }>>();
    }),
  );
  return idsCondition([...new Set(found.flat().map((doc) => String(doc._id)))]);
}
