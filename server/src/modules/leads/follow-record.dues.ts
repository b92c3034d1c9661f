// Keeps `follow_dues` (follow-record-due.model.ts) in step: a lead or customer has a row while its
// latest follow-up record has a next date and someone works it (a lead not closed or converted, a
// customer not in the pool), holding its owner and department as they are now. Called after a
// record is written (follow-record.service.ts), after a lead is (re)assigned, closed, reopened or
// converted, and after a customer changes owner or department (customers/ownership.service.ts,
// customer.service.ts); the start-up migration (db/migrations/follow-dues.ts) builds it for older data.
//
// No compare-and-set: each caller recomputes the rows from the records and targets after its own
// change, writes what differs, then (if it wrote) recomputes once more and writes again if a
// concurrent change landed meanwhile — so the last writer leaves the rows as the data is.
import { isDuplicateKey, isObjectIdString } from '../../lib/db.js';
import { customerOwnerCards } from '../customers/customer360.reads.js';
import { FollowDue, type FollowDueDoc } from './follow-record-due.model.js';
import { FollowRecord, type FollowRecordDoc } from './follow-record.model.js';
import { Lead, type LeadDoc } from './lead.model.js';

export type DueTargetKind = 'lead' | 'customer';
export interface DueTarget {
  target: DueTargetKind;
  id: string;
}

/** Leads still being worked: a closed or converted lead has no follow-ups due. */
export const OPEN_LEAD_STATUSES = ['new', 'assigned', 'following'] as const;

export const dueKey = (target: DueTargetKind, id: string) => `${target}:${id}`;

type Row = FollowDueDoc & { _id: string };
/** Ids per `$in` (one SQL IN list each), and updates per bulk write. */
const CHUNK = 500;
const WRITE_CHUNK = 100;
/** Recompute-and-write rounds before giving up on a target that keeps changing. */
const ROUNDS = 3;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const newer = (a: FollowRecordDoc, b: FollowRecordDoc) => a.createdAt.getTime() - b.createdAt.getTime() || (String(a._id) > String(b._id) ? 1 : -1);

/**
 * The newest record of each target (by `latest`: the newest record always keeps it; a writer
 * clearing older ones may leave two for a moment, so the newer of those wins).
 */
async function newestRecords(field: 'leadId' | 'customerId', ids: string[]): Promise<Map<string, FollowRecordDoc>> {
  const rows = await Promise.all(chunks(ids).map((part) => FollowRecord.find({ [field]: { $in: part }, latest: true }).lean<FollowRecordDoc[]>()));
  const newest = new Map<string, FollowRecordDoc>();
  for (const doc of rows.flat()) {
    const id = String(doc[field]);
    const seen = newest.get(id);
    if (!seen || newer(doc, seen) > 0) newest.set(id, doc);
  }
  return newest;
}

type LeadState = Pick<LeadDoc, '_id' | 'status' | 'ownerId' | 'department'>;

/** What each target's row should be now; null: nothing due (no next date, closed, in the pool, gone). */
async function wantedRows(targets: DueTarget[]): Promise<Map<string, Row | null>> {
  const idsOf = (kind: DueTargetKind) => [...new Set(targets.filter((t) => t.target === kind && isObjectIdString(t.id)).map((t) => t.id))];
  const [leadRecords, customerRecords] = await Promise.all([newestRecords('leadId', idsOf('lead')), newestRecords('customerId', idsOf('customer'))]);
  // Only targets with a next date can be due: most owner changes touch none (nothing more is read).
  const dated = (records: Map<string, FollowRecordDoc>) => [...records].filter(([, doc]) => doc.nextAt).map(([id]) => id);
  const [leadIds, customerIds] = [dated(leadRecords), dated(customerRecords)];
  const [leads, customers] = await Promise.all([
    Promise.all(chunks(leadIds).map((part) => Lead.find({ _id: { $in: part } }, { status: 1, ownerId: 1, department: 1 }).lean<LeadState[]>())),
    customerOwnerCards(customerIds),
  ]);
  const leadById = new Map(leads.flat().map((lead) => [String(lead._id), lead]));
  const wanted = new Map<string, Row | null>();
  const row = (target: DueTargetKind, id: string, record: FollowRecordDoc | undefined, owner: { ownerId: string | null; department: string } | null): Row | null =>
    record?.nextAt && owner
      ? { _id: dueKey(target, id), target, targetId: id, recordId: String(record._id), authorId: record.authorId, dueAt: record.nextAt, ownerId: owner.ownerId, department: owner.department }
      : null;
  for (const { target, id } of targets) {
    if (target === 'lead') {
      const lead = leadById.get(id);
      const open = lead && (OPEN_LEAD_STATUSES as readonly string[]).includes(lead.status);
      wanted.set(dueKey(target, id), row(target, id, leadRecords.get(id), open ? { ownerId: lead.ownerId ?? null, department: lead.department ?? '' } : null));
    } else {
      const card = customers.get(id);
      // A pool customer has nobody to follow it up until it is claimed.
      wanted.set(dueKey(target, id), row(target, id, customerRecords.get(id), card?.ownerId ? { ownerId: card.ownerId, department: card.department } : null));
    }
  }
  return wanted;
}

const sameRow = (a: Row | null | undefined, b: Row | null | undefined) =>
  (!a && !b) ||
  (!!a &&
    !!b &&
    a.recordId === b.recordId &&
    a.authorId === b.authorId &&
    a.dueAt.getTime() === b.dueAt.getTime() &&
    (a.ownerId ?? null) === (b.ownerId ?? null) &&
    (a.department ?? '') === (b.department ?? '') &&
    a.target === b.target &&
    a.targetId === b.targetId);

async function upsert(rows: Row[]): Promise<void> {
  const write = () => FollowDue.bulkWrite(rows.map(({ _id, ...fields }) => ({ updateOne: { filter: { _id }, update: { $set: fields }, upsert: true } })), { ordered: false });
  try {
    await write();
  } catch (error) {
    // Two first upserts of one target at once: one inserted, the other now updates.
    if (!isDuplicateKey(error)) throw error;
    await write();
  }
}

/** Rows not there yet: one insert per chunk (the backfill's case); one written meanwhile is updated instead. */
async function insert(rows: Row[]): Promise<void> {
  try {
    await FollowDue.insertMany(rows, { ordered: false });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    await upsert(rows);
  }
}

/** Writes the rows that differ from `current` (null: delete); false when nothing differed. */
async function writeRows(wanted: Map<string, Row | null>, current: Map<string, Row>): Promise<boolean> {
  const gone = [...wanted].filter(([key, row]) => !row && current.has(key)).map(([key]) => key);
  const rows = [...wanted.values()].filter((row): row is Row => !!row);
  const added = rows.filter((row) => !current.has(row._id));
  const changed = rows.filter((row) => current.has(row._id) && !sameRow(row, current.get(row._id)));
  for (const part of chunks(gone)) await FollowDue.deleteMany({ _id: { $in: part } });
  for (const part of chunks(added)) await insert(part);
  for (const part of chunks(changed, WRITE_CHUNK)) await upsert(part);
  return gone.length + added.length + changed.length > 0;
}

async function currentRows(keys: string[]): Promise<Map<string, Row>> {
  const rows = await Promise.all(chunks(keys).map((part) => FollowDue.find({ _id: { $in: part } }).lean<Row[]>()));
  return new Map(rows.flat().map((row) => [row._id, row]));
}

/** Brings the rows of `targets` up to date (see the top of this file). */
export async function syncFollowDues(targets: DueTarget[]): Promise<void> {
  if (targets.length === 0) return;
  const keys = [...new Set(targets.map((t) => dueKey(t.target, t.id)))];
  let [wanted, current] = await Promise.all([wantedRows(targets), currentRows(keys)]);
  for (let round = 0; round < ROUNDS; round += 1) {
    // Nothing written: nothing of ours to check (a concurrent change is its own writer's to check).
    if (!(await writeRows(wanted, current))) return;
    const again = await wantedRows(targets);
    if (keys.every((key) => sameRow(wanted.get(key), again.get(key)))) return;
    current = new Map([...wanted].flatMap(([key, row]) => (row ? [[key, row] as const] : [])));
    wanted = again;
  }
}

export const syncLeadFollowDue = (leadId: string) => syncFollowDues([{ target: 'lead', id: leadId }]);
export const syncCustomerFollowDues = (customerIds: string[]) => syncFollowDues(customerIds.map((id) => ({ target: 'customer' as const, id })));

/**
 * The rows of the targets of these records (the start-up migration hands every record id, batch by
 * batch). One pass: nothing else writes while the server starts.
 */
export async function refreshFollowDuesOfRecords(recordIds: string[]): Promise<void> {
  const docs = await FollowRecord.find({ _id: { $in: recordIds.filter(isObjectIdString) }, latest: true }, { leadId: 1, customerId: 1 }).lean<Array<Pick<FollowRecordDoc, 'leadId' | 'customerId'>>>();
  const targets: DueTarget[] = docs.map((doc) => (doc.leadId ? { target: 'lead', id: doc.leadId } : { target: 'customer', id: doc.customerId ?? '' }));
  if (targets.length === 0) return;
  const keys = [...new Set(targets.map((t) => dueKey(t.target, t.id)))];
  const [wanted, current] = await Promise.all([wantedRows(targets), currentRows(keys)]);
  await writeRows(wanted, current);
}
