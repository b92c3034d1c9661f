// On start, once per database (and again whenever the search keys were rebuilt, which clears
// `search_terms`): the duplicate-check keys (撞单, leads/duplicate.service.ts) of the leads and
// customers written before they existed (record-keys.ts runs it).
import { refreshDuplicateKeysOf } from '../../modules/leads/duplicate.service.js';
import { migrateRecordKeys, type RecordKeysResult } from './record-keys.js';

/** Bump when the keys a record gets change: the next start rebuilds them. */
export const DUPLICATE_KEYS_VERSION = 1;

/** `force`: the search keys were just rebuilt (and with them every duplicate key dropped). */
export function migrateDuplicateKeys(options: { force?: boolean } = {}): Promise<RecordKeysResult<'leads' | 'customers'>> {
  return migrateRecordKeys(
    { id: 'duplicate-keys', version: DUPLICATE_KEYS_VERSION },
    { leads: (ids) => refreshDuplicateKeysOf('lead', ids), customers: (ids) => refreshDuplicateKeysOf('customer', ids) },
    options,
  );
}
