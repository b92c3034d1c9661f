import { Schema, type InferSchemaType } from 'mongoose';
import mongoose from 'mongoose';
import { ownershipEventKinds } from '@qiao/shared';

/**
 * One change of a customer's owner (客户归属变更): created, claimed from the pool, released,
 * transferred, returned by the daily job, reassigned in bulk, converted from a lead, imported.
 * Written once per change, never edited: the customer's ownership history and the pool reports.
 */
const ownershipEventSchema = new Schema(
  {
    /** A string: a fresh ObjectId's hex, or a caller's deterministic key so a retried write records once. */
    _id: { type: String, required: true },
    customerId: { type: String, required: true },
    kind: { type: String, enum: ownershipEventKinds, required: true },
    fromOwnerId: { type: String, default: null },
    toOwnerId: { type: String, default: null },
    reason: { type: String, default: '' },
    /** null: the daily return job. */
    byStaffId: { type: String, default: null },
    /** The customer's department after the change (reports scope by it). */
    department: { type: String, default: '' },
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);

// A customer's history, newest first; movements over a period (reports).
ownershipEventSchema.index({ customerId: 1, at: -1 });
ownershipEventSchema.index({ at: -1 });

export type OwnershipEventDoc = InferSchemaType<typeof ownershipEventSchema>;
export const OwnershipEventRecord = mongoose.model('CustomerOwnershipEvent', ownershipEventSchema, 'customer_ownership_events');
