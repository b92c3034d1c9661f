// On start, once per database: fields that lists query by, kept up to date on every write since
// this version, filled in for documents written before it (docs/indexes.md):
//   - feedbacks.overdueAt: the requested time of an open request, NEVER_OVERDUE otherwise;
//   - contacts.department, product_archives.department: their customer's department;
//   - work_order_collaborations: one document per (order, collaborator).
// Idempotent (every write sets what the document should hold, collaborations are inserted by a
// unique _id), so several processes starting at once, or a run cut short, are harmless. A marker in
// `migrations` makes later starts skip the full reads; it is written only after a complete run.
import mongoose from 'mongoose';
import { isDuplicateKey } from '../../lib/db.js';
import { overdueAtOf } from '../../modules/service/feedback.model.js';
import { collaborationId } from '../../modules/service/work-order-collaboration.model.js';

export const LIST_FIELDS_MIGRATION = 'list-fields-2026-11';
const BATCH = 500;

export interface ListFieldsResult {
  /** False when the marker said it ran before. */
  ran: boolean;
  updated: Record<'feedbacks' | 'contacts' | 'product_archives' | 'work_order_collaborations', number>;
}

type Raw = Record<string, unknown> & { _id: unknown };
type Update = { updateOne: { filter: Record<string, unknown>; update: Record<string, unknown> } };

async function flush(collection: string, updates: Update[]): Promise<number> {
  if (updates.length === 0) return 0;
  const result = await mongoose.connection.collection(collection).bulkWrite(updates.splice(0), { ordered: false });
  return result.modifiedCount;
}

/** Sets `field` to `valueOf(doc)` wherever it differs, reading the collection once. */
async function fill(collection: string, projection: Record<string, 1>, field: string, valueOf: (doc: Raw) => unknown): Promise<number> {
  const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);
  const updates: Update[] = [];
  let modified = 0;
  for await (const doc of mongoose.connection.collection(collection).find({}, { projection: { ...projection, [field]: 1 } })) {
    const value = valueOf(doc as Raw);
    if (value === undefined || same(doc[field], value)) continue;
    updates.push({ updateOne: { filter: { _id: doc._id }, update: { $set: { [field]: value } } } });
    if (updates.length >= BATCH) modified += await flush(collection, updates);
  }
  return modified + (await flush(collection, updates));
}

export async function migrateListFields(): Promise<ListFieldsResult> {
  const db = mongoose.connection;
  const updated: ListFieldsResult['updated'] = { feedbacks: 0, contacts: 0, product_archives: 0, work_order_collaborations: 0 };
  if (await db.collection('migrations').findOne({ _id: LIST_FIELDS_MIGRATION as never })) return { ran: false, updated };

  updated.feedbacks = await fill('feedbacks', { status: 1, requestedBy: 1 }, 'overdueAt', (doc) =>
    overdueAtOf(String(doc.status), doc.requestedBy instanceof Date ? doc.requestedBy : null),
  );

  const departments = new Map<string, string>();
  for await (const customer of db.collection('customers').find({}, { projection: { department: 1 } })) {
    departments.set(String(customer._id), typeof customer.department === 'string' ? customer.department : '');
  }
  // A record whose customer is gone keeps what it has (it shows in no scoped list either way).
  const departmentOf = (doc: Raw) => departments.get(String(doc.customerId)) ?? (typeof doc.department === 'string' ? undefined : '');
  updated.contacts = await fill('contacts', { customerId: 1 }, 'department', departmentOf);
  updated.product_archives = await fill('product_archives', { customerId: 1 }, 'department', departmentOf);

  // Orders with collaborators: `collaboratorIds` holds arrays, so this read is a scan — once.
  for await (const order of db.collection('work_orders').find({}, { projection: { collaboratorIds: 1 } })) {
    for (const staffId of (Array.isArray(order.collaboratorIds) ? order.collaboratorIds : []).map(String)) {
      const orderId = String(order._id);
      try {
        await db.collection('work_order_collaborations').insertOne({ _id: collaborationId(orderId, staffId) as never, orderId, staffId, at: new Date() });
        updated.work_order_collaborations += 1;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
  }

  try {
    await db.collection('migrations').insertOne({ _id: LIST_FIELDS_MIGRATION as never, at: new Date() });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  return { ran: true, updated };
}

