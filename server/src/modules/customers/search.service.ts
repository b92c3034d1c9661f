// Search keys of customers, contacts and product archives (lib/search.ts), kept in step on every
// write of this module, and the lookups that turn a search box's text into record ids — used by
// this module's lists and by the service-request list (which finds requests by customer, contact,
// phone and serial number).
import { isObjectIdString } from '../../lib/db.js';
import {
  looksLikePhone,
  normalizeSearchText,
  phoneDigits,
  prefixKey,
  refsMatching,
  removeSearchKeys,
  reversed,
  setSearchKeys,
  suffixKeys,
  tailKey,
  type KeyQuery,
} from '../../lib/search.js';
import { refreshCustomerDuplicateKeys } from '../leads/duplicate.service.js';
import { Contact } from './contact.model.js';
import { Customer } from './customer.model.js';
import { ProductArchive } from './product-archive.model.js';

/** Ids of the records a text matches; `capped` when a key range held more than the cap. */
export interface SearchMatch {
  ids: string[];
  capped: boolean;
}

const phoneKeys = (tag: string, phone: string | null | undefined): string[] => {
  const digits = phoneDigits(phone ?? '');
  return [...prefixKey(`${tag}p`, digits), ...tailKey(`${tag}q`, digits)];
};

/** Customer: name contains; code starts or ends with; phone starts or ends with. */
export function customerSearchKeys(doc: { name: string; code: string; phone?: string | null }): string[] {
  const code = normalizeSearchText(doc.code);
  return [...suffixKeys('cn', doc.name), ...prefixKey('cc', code), ...tailKey('ct', code), ...phoneKeys('c', doc.phone)];
}

/** Contact: name contains; phone starts or ends with. */
export function contactSearchKeys(doc: { name: string; phone: string }): string[] {
  return [...suffixKeys('kn', doc.name), ...phoneKeys('k', doc.phone)];
}

/** Product archive: serial number starts or ends with; model starts with. */
export function productSearchKeys(doc: { serialNumber: string; model: string }): string[] {
  const serial = normalizeSearchText(doc.serialNumber);
  return [...prefixKey('ds', serial), ...tailKey('dt', serial), ...prefixKey('dm', normalizeSearchText(doc.model))];
}

/** Lookups of a phone-like text: a prefix from 3 digits, "last digits" from 4. */
function phoneQueries(tag: string, text: string): KeyQuery[] {
  if (!looksLikePhone(text)) return [];
  const digits = phoneDigits(text);
  return [{ tag: `${tag}p`, value: digits }, ...(digits.length >= 4 ? [{ tag: `${tag}q`, value: reversed(digits) }] : [])];
}

/** Tails of codes and serial numbers: from 3 characters (fewer would match a tenth of them). */
const tailQuery = (tag: string, text: string): KeyQuery[] => (text.length >= 3 ? [{ tag, value: reversed(text) }] : []);

async function match(queries: KeyQuery[], cap?: number): Promise<SearchMatch> {
  const { refs, capped } = await refsMatching(queries, cap);
  return { ids: refs.filter((id) => isObjectIdString(id)), capped };
}

// The lookups of a text, per kind: the service-request search checks them against the records a
// page shows when a text matches too many to list (refsHavingKeys).

/** Customers: name contains; code starts or ends with; phone starts or ends with. */
export function customerQueries(q: string): KeyQuery[] {
  const text = normalizeSearchText(q);
  if (!text) return [];
  return [{ tag: 'cn', value: text }, { tag: 'cc', value: text }, ...tailQuery('ct', text), ...phoneQueries('c', q)];
}

/** Contacts: name contains; phone starts or ends with. */
export function contactQueries(q: string): KeyQuery[] {
  const text = normalizeSearchText(q);
  if (!text) return [];
  return [{ tag: 'kn', value: text }, ...phoneQueries('k', q)];
}

/** Archives: serial number (start or end) and, unless `serialOnly`, model (start). */
export function productQueries(q: string, { serialOnly = false } = {}): KeyQuery[] {
  const text = normalizeSearchText(q);
  if (!text) return [];
  return [{ tag: 'ds', value: text }, ...tailQuery('dt', text), ...(serialOnly ? [] : [{ tag: 'dm', value: text }])];
}

/** `cap`: the most records read per lookup (lib/search.ts CANDIDATE_CAP by default). */
export const matchingCustomerIds = (q: string, cap?: number): Promise<SearchMatch> => match(customerQueries(q), cap);

export const matchingContactIds = (q: string, cap?: number): Promise<SearchMatch> => match(contactQueries(q), cap);

export const matchingProductIds = (q: string, options: { serialOnly?: boolean } = {}, cap?: number): Promise<SearchMatch> =>
  match(productQueries(q, options), cap);

/** Contacts whose name contains `q`, at most `limit` (by the search keys: an index range). */
export async function contactIdsNamed(q: string, limit: number): Promise<string[]> {
  const text = normalizeSearchText(q);
  if (!text) return [];
  return (await match([{ tag: 'kn', value: text }], limit)).ids;
}

/** Union of matches (a record found several ways counts once). */
export function unionMatches(...matches: SearchMatch[]): SearchMatch {
  return { ids: [...new Set(matches.flatMap((m) => m.ids))], capped: matches.some((m) => m.capped) };
}

// Upkeep: read back what was written, so the keys follow the stored record.

export async function refreshCustomerSearch(id: string): Promise<void> {
  const doc = await Customer.findById(id, { name: 1, code: 1, phone: 1 }).lean<{ name: string; code: string; phone?: string }>();
  if (doc) await setSearchKeys({ ref: id, keys: customerSearchKeys(doc) });
  else await removeSearchKeys(id);
  await refreshCustomerDuplicateKeys(id);
}

/** `customerId`: the contact's customer when the contact is gone (its duplicate keys follow). */
export async function refreshContactSearch(id: string, customerId?: string): Promise<void> {
  const doc = await Contact.findById(id, { name: 1, phone: 1, customerId: 1 }).lean<{ name: string; phone: string; customerId: unknown }>();
  if (doc) await setSearchKeys({ ref: id, keys: contactSearchKeys(doc) });
  else await removeSearchKeys(id);
  const owner = doc ? String(doc.customerId) : customerId;
  if (owner) await refreshCustomerDuplicateKeys(owner);
}

export async function refreshProductSearch(id: string): Promise<void> {
  const doc = await ProductArchive.findById(id, { serialNumber: 1, model: 1 }).lean<{ serialNumber: string; model: string }>();
  if (doc) await setSearchKeys({ ref: id, keys: productSearchKeys(doc) });
  else await removeSearchKeys(id);
}
