// On start: the search keys (`search_terms`, lib/search.ts) of customers, contacts, product archives
// and service requests written before search keys existed — or by an earlier version of the keys —
// are built once. A marker in `settings` holds the version of the keys the data has; a new
// version (or a run cut short: the marker is written last) rebuilds everything: clear, then every
// record's keys. Several processes doing it at once end with complete keys: whoever clears last
// rebuilds after it, and entries have deterministic ids, so none is doubled.
import mongoose from 'mongoose';
import { addSearchKeys, SearchTerm, type RecordKeys } from '../../lib/search.js';
import { contactSearchKeys, customerSearchKeys, productSearchKeys } from '../../modules/customers/search.service.js';
import { oaMessageSearchKeys } from '../../modules/official-account/oa-message.search.js';
import { requestSearchKeys } from '../../modules/service/feedback.search.js';

/** Bump when the keys a record gets change: the next start rebuilds them all. */
export const SEARCH_KEYS_VERSION = 2;
const MARKER_ID = 'search-terms';
const BATCH = 500;

type Raw = Record<string, unknown> & { _id: unknown };
const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** Each collection of searchable records, the fields its keys are made of, and how. */
const SOURCES: Array<{ collection: string; fields: string[]; keys: (doc: Raw) => string[] }> = [
  { collection: 'customers', fields: ['name', 'code', 'phone'], keys: (d) => customerSearchKeys({ name: text(d.name), code: text(d.code), phone: text(d.phone) }) },
  { collection: 'contacts', fields: ['name', 'phone'], keys: (d) => contactSearchKeys({ name: text(d.name), phone: text(d.phone) }) },
  { collection: 'product_archives', fields: ['serialNumber', 'model'], keys: (d) => productSearchKeys({ serialNumber: text(d.serialNumber), model: text(d.model) }) },
  { collection: 'feedbacks', fields: ['number'], keys: (d) => requestSearchKeys(text(d.number)) },
  // Version 2: the text of Official Account conversations (公众号消息).
  {
    collection: 'oa_chat_messages',
    fields: ['msgType', 'content'],
    keys: (d) => oaMessageSearchKeys({ _id: String(d._id), msgType: text(d.msgType), content: text(d.content) }).flatMap((r) => r.keys),
  },
];

export interface SearchTermsResult {
  rebuilt: boolean;
  /** Records whose keys were written, per collection. */
  records: Record<string, number>;
}

/** Rebuild every record's search keys (also what the benchmark runs after seeding directly). */
/**
 * The key indexes of the just-dropped collection. A key written meanwhile by a request recreates the
 * collection with its indexes; on the embedded database the two creations can collide (SQLite:
 * "index … already exists"): the second try finds them made.
 */
async function createIndexesRacing(): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await SearchTerm.createIndexes();
      return;
    } catch (error) {
      if (attempt >= 3 || !/already exists|SQL logic error/.test((error as { message?: string } | null)?.message ?? '')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

export async function rebuildSearchTerms(): Promise<Record<string, number>> {
  // Dropped, not emptied: FerretDB deletes by listing every id in one SQL statement, which fails
  // past SQLite's 32,766 variables.
  await SearchTerm.collection.drop().catch((error: unknown) => {
    if ((error as { codeName?: string } | null)?.codeName !== 'NamespaceNotFound') throw error;
  });
  await createIndexesRacing();
  const records: Record<string, number> = {};
  for (const source of SOURCES) {
    const projection = Object.fromEntries(source.fields.map((field) => [field, 1]));
    // One pass over the collection (a cursor), written in batches.
    const cursor = mongoose.connection.collection<Raw>(source.collection).find({}, { projection, batchSize: BATCH });
    let batch: RecordKeys[] = [];
    let count = 0;
    for await (const doc of cursor) {
      batch.push({ ref: String(doc._id), keys: source.keys(doc) });
      count += 1;
      if (batch.length >= BATCH) {
        await addSearchKeys(batch);
        batch = [];
      }
    }
    await addSearchKeys(batch);
    records[source.collection] = count;
  }
  return records;
}

/** Build the keys unless the data already has this version's; `starting` is told before a (long) build. */
export async function migrateSearchTerms(starting: () => void = () => {}): Promise<SearchTermsResult> {
  const settings = mongoose.connection.collection<{ _id: string; version?: number }>('settings');
  const marker = await settings.findOne({ _id: MARKER_ID });
  if (marker?.version === SEARCH_KEYS_VERSION) return { rebuilt: false, records: {} };
  starting();
  const records = await rebuildSearchTerms();
  await settings.updateOne({ _id: MARKER_ID }, { $set: { version: SEARCH_KEYS_VERSION, at: new Date() } }, { upsert: true });
  return { rebuilt: true, records };
}
