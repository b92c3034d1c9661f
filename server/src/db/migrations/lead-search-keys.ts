// On start, once per database (and again whenever the search keys were rebuilt, which drops
// `search_terms`): the search keys (leads/lead.search.ts) of the leads and opportunities written
// before they existed (record-keys.ts runs it).
import { refreshLeadSearch, refreshOpportunitySearch } from '../../modules/leads/lead.search.js';
import { migrateRecordKeys, type RecordKeysResult } from './record-keys.js';

/** Bump when the keys a lead or opportunity gets change: the next start rebuilds them. */
export const LEAD_SEARCH_KEYS_VERSION = 1;

/** `force`: the search keys were just rebuilt (and with them every lead and opportunity key dropped). */
export function migrateLeadSearchKeys(options: { force?: boolean } = {}): Promise<RecordKeysResult<'leads' | 'opportunities'>> {
  return migrateRecordKeys({ id: 'lead-search-keys', version: LEAD_SEARCH_KEYS_VERSION }, { leads: refreshLeadSearch, opportunities: refreshOpportunitySearch }, options);
}
