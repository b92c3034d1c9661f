// The shape of a start-up migration that (re)builds derived keys of existing records, batch by
// batch, once per database and version (a marker in `settings`), and again when forced (the search
// keys were rebuilt, which drops every key in `search_terms`). Each batch replaces its records'
// keys, so a run cut short or two processes at once are harmless; the marker is written only after
// a complete run.
import mongoose from 'mongoose';

const BATCH = 500;

/** Ids of every record of `collection`, handed to `work` 500 at a time; returns how many. */
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

export interface RecordKeysResult<K extends string> {
  ran: boolean;
  records: Record<K, number>;
}

/** Runs `refresh` of each collection unless the marker says `version` is done (and not `force`). */
export async function migrateRecordKeys<K extends string>(
  marker: { id: string; version: number },
  refresh: Record<K, (ids: string[]) => Promise<void>>,
  options: { force?: boolean } = {},
): Promise<RecordKeysResult<K>> {
  const settings = mongoose.connection.collection<{ _id: string; version?: number; at?: Date }>('settings');
  const names = Object.keys(refresh) as K[];
  const done = await settings.findOne({ _id: marker.id });
  if (!options.force && done?.version === marker.version) {
    return { ran: false, records: Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number> };
  }
  const records = {} as Record<K, number>;
  for (const name of names) records[name] = await eachBatch(name, refresh[name]);
  await settings.updateOne({ _id: marker.id }, { $set: { version: marker.version, at: new Date() } }, { upsert: true });
  return { ran: true, records };
}
