import { Schema, model } from 'mongoose';

/**
 * Who collaborates on which order (多人协作), one document per (order, engineer): 我的工单 finds an
 * engineer's collaborations by `staffId` — an index the order's `collaboratorIds` array cannot give
 * on FerretDB (arrays are never pushed down). Written before the order's change and never removed:
 * a superset, so the list re-checks `collaboratorIds` on the orders it reads.
 */
const collaborationSchema = new Schema(
  {
    /** `<orderId>:<staffId>`: adding the same collaborator twice is one document. */
    _id: { type: String, required: true },
    orderId: { type: String, required: true },
    staffId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
collaborationSchema.index({ staffId: 1 });

export const WorkOrderCollaboration = model('WorkOrderCollaboration', collaborationSchema, 'work_order_collaborations');

export const collaborationId = (orderId: string, staffId: string) => `${orderId}:${staffId}`;
