import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * One claimed state change. FerretDB has no atomic compare-and-set across connections, but an
 * insert with an existing `_id` always fails: whoever inserts `<orderId>:<version>` (or
 * `feedback:<id>:<version>`, `follow-up:<id>:<version>`) first may write that document's next
 * version; everyone else gets 409 CONCURRENT_UPDATE.
 *
 * A claim also carries the whole change (`plan`, the ordered writes as EJSON) so a change
 * interrupted by a crash can be finished by whoever meets it later (see state-change.ts).
 */
const claimSchema = new Schema(
  {
    _id: { type: String, required: true },
    action: { type: String, required: true },
    /** Staff id, WeChat user id or 'system'. */
    by: { type: String, required: true },
    /** Random per change: the claims of one change share it. */
    owner: { type: String, required: true },
    /** Every claim key of the change: all present with this owner = the change is committed. */
    keys: { type: [String], required: true },
    plan: { type: String, required: true },
    at: { type: Date, required: true },
    doneAt: { type: Date, default: null },
  },
  { versionKey: false },
);

export type WorkOrderClaimDoc = InferSchemaType<typeof claimSchema>;
export const WorkOrderClaim = mongoose.model('WorkOrderClaim', claimSchema, 'work_order_claims');
