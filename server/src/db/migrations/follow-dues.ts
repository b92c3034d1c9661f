// On start, once per database: the due follow-ups (`follow_dues`, leads/follow-record.dues.ts) of
// the follow-up records written before they existed — each batch of records refreshes its
// targets' rows (record-keys.ts runs it: batches, a version marker, harmless when cut short).
import { refreshFollowDuesOfRecords } from '../../modules/leads/follow-record.dues.js';
import { migrateRecordKeys, type RecordKeysResult } from './record-keys.js';

/** Bump when what a due row holds changes: the next start rebuilds them. */
export const FOLLOW_DUES_VERSION = 1;

/** `force`: rebuild even if done (data written behind the services' back, e.g. the bench's seed). */
export function migrateFollowDues(options: { force?: boolean } = {}): Promise<RecordKeysResult<'follow_records'>> {
  return migrateRecordKeys({ id: 'follow-dues', version: FOLLOW_DUES_VERSION }, { follow_records: refreshFollowDuesOfRecords }, options);
}
