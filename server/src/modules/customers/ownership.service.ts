// Ownership history (客户归属记录) and collaborators: the writers other modules call when they give
// a customer an owner (S2's lead conversion, imports) and the reader of a customer's history.
import type { OwnershipEvent, OwnershipEventKind } from '@qiao/shared';
import mongoose from 'mongoose';
import { isDuplicateKey, isObjectIdString } from '../../lib/db.js';
import { staffByIds } from '../identity/lookup.service.js';
import { syncCustomerFollowDues } from '../leads/follow-record.dues.js';
import { CustomerCollaborator } from './customer-collaborator.model.js';
import { Customer } from './customer.model.js';
import { OwnershipEventRecord, type OwnershipEventDoc } from './ownership-event.model.js';

export interface OwnershipEventInput {
  customerId: string;
  kind: OwnershipEventKind;
  fromOwnerId: string | null;
  toOwnerId: string | null;
  reason?: string;
  /** null: the daily return job. */
  byStaffId: string | null;
  /** The customer's department after the change. */
  department: string;
  at?: Date;
  /** A deterministic id (e.g. `import:<importId>:<row>`): a retried write records the event once. */
  key?: string;
}

const docOf = (input: OwnershipEventInput) => ({
  _id: input.key ?? new mongoose.Types.ObjectId().toHexString(),
  customerId: input.customerId,
  kind: input.kind,
  fromOwnerId: input.fromOwnerId,
  toOwnerId: input.toOwnerId,
  reason: input.reason ?? '',
  byStaffId: input.byStaffId,
  department: input.department,
  at: input.at ?? new Date(),
});

/** Records one ownership change (ignored when an event with the same `key` exists). */
export async function recordOwnershipEvent(input: OwnershipEventInput): Promise<void> {
  await recordOwnershipEvents([input]);
}

/** Records many at once (imports, bulk reassignment); events whose `key` exists are skipped. */
export async function recordOwnershipEvents(inputs: OwnershipEventInput[]): Promise<void> {
  if (inputs.length === 0) return;
  try {
    await OwnershipEventRecord.insertMany(inputs.map(docOf), { ordered: false });
  } catch (error) {
    // A retry of the same keyed events: the ones written before stand, the rest were written now.
    if (!isDuplicateKey(error)) throw error;
  }
  // Every owner change records an event after writing the customer: its due follow-up follows.
  await syncCustomerFollowDues(inputs.map((input) => input.customerId));
}

/** The customer's ownership history, newest first, with names (no visibility check: callers do it). */
export async function ownershipHistory(customerId: string): Promise<OwnershipEvent[]> {
  if (!isObjectIdString(customerId)) return [];
  const docs = await OwnershipEventRecord.find({ customerId }).sort({ at: -1, _id: -1 }).limit(500).lean<OwnershipEventDoc[]>();
  return toEventViews(docs);
}

export async function toEventViews(docs: OwnershipEventDoc[]): Promise<OwnershipEvent[]> {
  const names = await staffByIds(docs.flatMap((doc) => [doc.fromOwnerId, doc.toOwnerId, doc.byStaffId]));
  const nameOf = (id: string | null | undefined) => (id ? names.get(id)?.name ?? '（已删除）' : null);
  return docs.map((doc) => ({
    id: String(doc._id),
    customerId: doc.customerId,
    kind: doc.kind as OwnershipEventKind,
    fromOwnerId: doc.fromOwnerId ?? null,
    fromOwnerName: nameOf(doc.fromOwnerId),
    toOwnerId: doc.toOwnerId ?? null,
    toOwnerName: nameOf(doc.toOwnerId),
    reason: doc.reason ?? '',
    byStaffId: doc.byStaffId ?? null,
    byStaffName: nameOf(doc.byStaffId),
    department: doc.department ?? '',
    at: doc.at.toISOString(),
  }));
}

// ---- collaborators (协作) ----

/**
 * Sets who collaborates on a customer: the customer's `collaboratorIds` and the per-person index
 * that "shared with me" reads. Call this instead of writing `collaboratorIds` directly.
 */
export async function setCustomerCollaborators(customerId: string, staffIds: string[]): Promise<void> {
  const ids = [...new Set(staffIds.filter((id) => isObjectIdString(id)))];
  await Customer.updateOne({ _id: customerId }, { $set: { collaboratorIds: ids } });
  const existing = await CustomerCollaborator.find({ customerId }, { staffId: 1 }).lean<Array<{ _id: string; staffId: string }>>();
  const gone = existing.filter((row) => !ids.includes(row.staffId)).map((row) => row._id);
  if (gone.length > 0) await CustomerCollaborator.deleteMany({ _id: { $in: gone } });
  const added = ids.filter((id) => !existing.some((row) => row.staffId === id));
  if (added.length === 0) return;
  try {
    await CustomerCollaborator.insertMany(added.map((staffId) => ({ _id: `${staffId}:${customerId}`, staffId, customerId })), { ordered: false });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/** The customers a person collaborates on (ids). */
export async function collaboratingCustomerIds(staffId: string): Promise<string[]> {
  const rows = await CustomerCollaborator.find({ staffId }, { customerId: 1 }).lean<Array<{ customerId: string }>>();
  return rows.map((row) => row.customerId);
}
