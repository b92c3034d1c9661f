// On start, once per database (and again whenever the search keys were rebuilt, which drops
// `search_terms`): the search keys (leads/lead.search.ts) of the leads and opportunities written
// before they existed. Idempotent — each batch replaces its records' keys — so a run cut short or
// two processes at once are harmless; the marker is written only after a complete run.
import mongoose from 'mongoose';
import { refreshLeadSearch, refreshOpportunitySearch } from '../../modules/leads/lead.search.js';

/** Bump when the keys a lead or opportunity gets change: the next start rebuilds them. */
export const LEAD_SEARCH_KEYS_VERSION = 1;
const MARKER_ID = 'lead-search-keys';
const BATCH = 500;

export interface LeadSearchKeysResult {
  ran: boolean;
  records: { leads: number; opportunities: number };
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

/** `force`: the search keys were just rebuilt (and with them every lead and opportunity key dropped). */
export async function migrateLeadSearchKeys(options: { force?: boolean } = {}): Promise<LeadSearchKeysResult> {
  const settings = mongoose.connection.collection<{ _id: string; version?: number; at?: Date }>('settings');
  const marker = await settings.findOne({ _id: MARKER_ID });
  if (!options.force && marker?.version === LEAD_SEARCH_KEYS_VERSION) return { ran: false, records: { leads: 0, opportunities: 0 } };
  const leads = await eachBatch('leads', refreshLeadSearch);
  const opportunities = await eachBatch('opportunities', refreshOpportunitySearch);
  await settings.updateOne({ _id: MARKER_ID }, { $set: { version: LEAD_SEARCH_KEYS_VERSION, at: new Date() } }, { upsert: true });
  return { ran: true, records: { leads, opportunities } };
}
