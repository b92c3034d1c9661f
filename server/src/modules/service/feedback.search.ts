// Search of the dispatcher's request list: by request number (start, or its last digits), and by
// the customer (name, code, phone), contact (name, phone) and device (serial number) it concerns.
// Every part is an index lookup — the search keys of lib/search.ts, a range on the unique
// `number`, `customerId`/`contactId`/`productArchiveId` `$in` — within the list's other conditions
// (department scope included), and the list then reads the matches by `_id $in`.
import { flatFilter } from '../../lib/query.js';
import { CANDIDATE_CAP, refsMatching, reversed, setSearchKeys, startingWith, tailKey } from '../../lib/search.js';
import { matchingContactIds, matchingCustomerIds, matchingProductIds, type SearchMatch } from '../customers/search.service.js';
import { Feedback } from './feedback.model.js';

type Filter = Record<string, unknown>;

/** A request's keys: the digits of its number reversed, so "尾号 0123" is a prefix. */
export const requestSearchKeys = (number: string): string[] => tailKey('fq', number.replace(/\D/g, ''));

/** Keep a request's search keys (its number never changes: once, at submission). */
export async function indexRequestNumber(id: string, number: string): Promise<void> {
  await setSearchKeys({ ref: id, keys: requestSearchKeys(number) });
}

/**
 * The starts of request numbers a text may be: as typed (`FW20261127-00`, `fw2026…`), or digits
 * from the date on (`20261127-0012`, `202611270012` → `FW20261127-0012`).
 */
export function numberPrefixes(q: string): string[] {
  const typed = q.replace(/\s+/g, '').replace(/^fw/i, 'FW');
  const prefixes = typed.startsWith('FW') ? [typed] : [];
  const digits = q.replace(/\D/g, '');
  if (/^(fw)?[\d\s-]+$/i.test(q.trim()) && digits.length >= 8) {
    prefixes.push(`FW${digits.slice(0, 8)}${digits.length > 8 ? `-${digits.slice(8)}` : ''}`);
  }
  return [...new Set(prefixes)];
}

/** The last digits of a number (from 3), when the text is only digits (and dashes, an FW). */
function numberTail(q: string): SearchMatch | Promise<SearchMatch> {
  const digits = q.replace(/\D/g, '');
  if (!/^(fw)?[\d\s-]+$/i.test(q.trim()) || digits.length < 3) return { ids: [], capped: false };
  return refsMatching([{ tag: 'fq', value: reversed(digits) }]).then(({ refs, capped }) => ({ ids: refs, capped }));
}

/**
 * The condition narrowing the list's filter `base` to the requests `q` finds: `_id $in` the
 * matches of every way of finding them (each looked up within `base`, so another department's
 * requests are never candidates), at most CANDIDATE_CAP per way.
 */
export async function requestSearchCondition(q: string, base: Filter): Promise<Filter> {
  const [tail, customers, contacts, devices] = await Promise.all([
    numberTail(q),
    matchingCustomerIds(q),
    matchingContactIds(q),
    matchingProductIds(q, { serialOnly: true }),
  ]);
  const ways: Filter[] = [
    ...numberPrefixes(q).map((prefix) => ({ number: startingWith(prefix) })),
    ...(tail.ids.length > 0 ? [{ _id: { $in: tail.ids } }] : []),
    ...(customers.ids.length > 0 ? [{ customerId: { $in: customers.ids } }] : []),
    ...(contacts.ids.length > 0 ? [{ contactId: { $in: contacts.ids } }] : []),
    ...(devices.ids.length > 0 ? [{ productArchiveId: { $in: devices.ids } }] : []),
  ];
  // Separate queries, not one `$or`: each is served by its index (a `$or` never is on FerretDB).
  const found = await Promise.all(
    ways.map((way) => Feedback.find(flatFilter(base, way), { _id: 1 }).limit(CANDIDATE_CAP).lean<Array<{ _id: unknown }>>()),
  );
  const ids = [...new Set(found.flat().map((doc) => String(doc._id)))];
  return { _id: { $in: ids } };
}
