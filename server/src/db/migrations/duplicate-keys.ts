// On start, once per database (and again whenever the search keys were rebuilt, which clears
// `search_terms`): the duplicate-check keys (撞单, leads/duplicate.service.ts) of the leads and
// customers written before they existed. Idempotent — each batch replaces its records' keys — so a
// run cut short or two processes at once are harmless; the marker is written only after a complete run.
import mongoose from 'mongoose';
import { refreshDuplicateKeysOf } from '../../modules/leads/duplicate.service.js';

/** Bump when the keys a record gets change: the next start rebuilds them. */
export const DUPLICATE_KEYS_VERSION = 1;
const MARKER_ID = 'duplicate-keys';
const BATCH = 500;

export interface DuplicateKeysResult {
  ran: boolean;
  records: { leads: number; customers: number };
}

async function eachBatch(collection: string, work: (ids: string[]) => Promise<void>): Promise<number> {
  let ids: string[] = [];
  let count = 0;
  for await (const doc of mongoose.connection.collection(collection).find({}, { projection: { _id: 1 }, batchSize: BATCH })) {
    ids.push(String(doc._id));
    count += 1;
    if (ids.length >= BATCH) {
      await work(ids);
      ids = [];
    }
  }
  if (ids.length > 0) await work(ids);
  return count;
}

/** `force`: the search keys were just rebuilt (and with them every duplicate key dropped). */
export async function migrateDuplicateKeys(options: { force?: boolean } = {}): Promise<DuplicateKeysResult> {
  const settings = mongoose.connection.collection<{ _id: string; version?: number; at?: Date }>('settings');
  const marker = await settings.findOne({ _id: MARKER_ID });
  if (!options.force && marker?.version === DUPLICATE_KEYS_VERSION) return { ran: false, records: { leads: 0, customers: 0 } };
  const leads = await eachBatch('leads', (ids) => refreshDuplicateKeysOf('lead', ids));
  const customers = await eachBatch('customers', (ids) => refreshDuplicateKeysOf('customer', ids));
  await settings.updateOne({ _id: MARKER_ID }, { $set: { version: DUPLICATE_KEYS_VERSION, at: new Date() } }, { upsert: true });
  return { ran: true, records: { leads, customers } };
}
