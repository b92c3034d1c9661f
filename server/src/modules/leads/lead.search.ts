// Search keys of leads and opportunities (lib/search.ts), kept in step on every write of the fields
// they are made of, and the lookups that turn a search box's text into record ids. A lead is found
// by company (contains, or the trade name the duplicate check compares — `蓝鲸科技（杭州）有限公司`
// finds `杭州蓝鲸科技有限公司`), contact name (contains), phone (starts or ends with, in any format)
// and email (starts with); an opportunity by its name (contains) or its customer's name.
import { companyParts } from '@qiao/shared';
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
import { matchingCustomerIds } from '../customers/search.service.js';
import { Lead } from './lead.model.js';
import { Opportunity, opportunitySearchKeys } from './opportunity.model.js';

export interface SearchMatch {
  ids: string[];
  /** A key range held more than lib/search's cap: the matches are incomplete (a broad search). */
  capped: boolean;
}

const NONE: SearchMatch = { ids: [], capped: false };

/** The trade name of a company as the duplicate check takes it apart (place and legal form dropped). */
const companyCore = (company: string) => normalizeSearchText(companyParts(company).core);

export interface LeadSearchFields {
  company?: string | null;
  name?: string | null;
  phone?: string | null;
  email?: string | null;
}

/** Lead: company contains / trade name starts with; contact contains; phone starts or ends with; email starts with. */
export function leadSearchKeys(doc: LeadSearchFields): string[] {
  const company = doc.company ?? '';
  const digits = phoneDigits(doc.phone ?? '');
  return [
    ...suffixKeys('la', company),
    ...prefixKey('lc', companyCore(company)),
    ...suffixKeys('ln', doc.name ?? ''),
    ...prefixKey('lp', digits),
    ...tailKey('lq', digits),
    ...prefixKey('le', normalizeSearchText(doc.email ?? '')),
  ];
}

export { opportunitySearchKeys };

async function match(queries: KeyQuery[]): Promise<SearchMatch> {
  const { refs, capped } = await refsMatching(queries);
  return { ids: refs.filter((id) => isObjectIdString(id)), capped };
}

/** Ids of the leads `q` finds (any visibility: the list applies it). */
export function matchingLeadIds(q: string): Promise<SearchMatch> {
  const text = normalizeSearchText(q);
  if (!text) return Promise.resolve(NONE);
  const core = companyCore(q);
  const queries: KeyQuery[] = [
    { tag: 'la', value: text },
    { tag: 'ln', value: text },
    { tag: 'le', value: text },
    ...(core && core !== text ? [{ tag: 'lc', value: core }] : []),
  ];
  if (looksLikePhone(q)) {
    const digits = phoneDigits(q);
    queries.push({ tag: 'lp', value: digits });
    // "Last digits" from 4 (fewer would match a tenth of all numbers).
    if (digits.length >= 4) queries.push({ tag: 'lq', value: reversed(digits) });
  }
  return match(queries);
}

/** Most opportunities read per matched customer set (a broad customer search says so by `capped`). */
const OPPORTUNITIES_OF_CUSTOMERS_CAP = 5000;

/** Ids of the opportunities `q` finds by their name or their customer's name (two lookups, merged). */
export async function matchingOpportunityIds(q: string): Promise<SearchMatch> {
  const text = normalizeSearchText(q);
  if (!text) return NONE;
  const [byName, customers] = await Promise.all([match([{ tag: 'on', value: text }]), matchingCustomerIds(q)]);
  const ofCustomers =
    customers.ids.length > 0
      ? await Opportunity.find({ customerId: { $in: customers.ids } }, { _id: 1 })
          .limit(OPPORTUNITIES_OF_CUSTOMERS_CAP + 1)
          .lean<Array<{ _id: unknown }>>()
      : [];
  return {
    ids: [...new Set([...byName.ids, ...ofCustomers.slice(0, OPPORTUNITIES_OF_CUSTOMERS_CAP).map((doc) => String(doc._id))])],
    capped: byName.capped || customers.capped || ofCustomers.length > OPPORTUNITIES_OF_CUSTOMERS_CAP,
  };
}

// Upkeep: read back what was written, so the keys follow the stored record.

/** After a lead's company, name, phone or email was written (create, edit, a campaign intent, an import). */
export async function refreshLeadSearch(ids: string[]): Promise<void> {
  const wanted = [...new Set(ids)].filter(isObjectIdString);
  if (wanted.length === 0) return;
  const docs = await Lead.find({ _id: { $in: wanted } }, { company: 1, name: 1, phone: 1, email: 1 }).lean<Array<LeadSearchFields & { _id: unknown }>>();
  const found = new Set(docs.map((doc) => String(doc._id)));
  for (const id of wanted.filter((id) => !found.has(id))) await removeSearchKeys(id);
  await setSearchKeys(...docs.map((doc) => ({ ref: String(doc._id), keys: leadSearchKeys(doc) })));
}

/** After an opportunity was created or renamed. */
export async function refreshOpportunitySearch(ids: string[]): Promise<void> {
  const wanted = [...new Set(ids)].filter(isObjectIdString);
  if (wanted.length === 0) return;
  const docs = await Opportunity.find({ _id: { $in: wanted } }, { name: 1 }).lean<Array<{ _id: unknown; name: string }>>();
  const found = new Set(docs.map((doc) => String(doc._id)));
  for (const id of wanted.filter((id) => !found.has(id))) await removeSearchKeys(id);
  await setSearchKeys(...docs.map((doc) => ({ ref: String(doc._id), keys: opportunitySearchKeys(doc) })));
}
