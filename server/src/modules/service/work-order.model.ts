import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { workOrderStatuses } from '@qiao/shared';

/**
 * 服务工单: one engineer's assignment for a request. A dispatcher's 改派 or 撤销派工 cancels it; an
 * engineer's 转派 keeps it (with its visits) and changes the assignee.
 */
const workOrderSchema = new Schema(
  {
    feedbackId: { type: String, required: true, index: true },
    /**
     * The department of the order's request (its customer's), written at dispatch and moved with
     * the request (request-department.ts), so reports scope orders without reading the requests.
     */
    department: { type: String, default: '' },
    /** The request's number and requested time (both fixed at submission), shown by the dispatch calendar. */
    requestNumber: { type: String, default: '' },
    requestedBy: { type: Date, default: null },
    assigneeId: { type: String, required: true, index: true },
    collaboratorIds: { type: [String], default: [] },
    status: { type: String, enum: workOrderStatuses, required: true, default: 'pending' },
    /** Claimed with every write: `<_id>:<version>` in work_order_claims. */
    version: { type: Number, required: true, default: 0 },
    dispatchedAt: { type: Date, required: true },
    dispatchedBy: { type: String, required: true },
    note: { type: String, default: '' },
    acceptedAt: { type: Date, default: null },
    completedAt: { type: Date, default: null },
    summary: { type: String, default: '' },
    rejectReason: { type: String, default: '' },
    cancelReason: { type: String, default: '' },
    visitCount: { type: Number, default: 0 },
    transfers: { type: [{ _id: false, fromId: String, toId: String, reason: String, at: Date }], default: [] },
  },
  { timestamps: true, versionKey: false },
);

// 我的工单 by tab (status) and sort; collaborators' orders; open orders per engineer (load).
workOrderSchema.index({ assigneeId: 1, status: 1, dispatchedAt: -1 });
workOrderSchema.index({ assigneeId: 1, status: 1, completedAt: -1 });
workOrderSchema.index({ collaboratorIds: 1, status: 1 });
workOrderSchema.index({ status: 1, assigneeId: 1 });
// Reports: orders dispatched or completed in a period (read only for assignees who are no engineer now).
workOrderSchema.index({ dispatchedAt: -1 });
workOrderSchema.index({ status: 1, completedAt: -1 });
// Reports within departments: one engineer's orders of the departments — dispatched in a period
// (of some statuses; a day of the calendar), completed in a period, open now — and all the
// departments' orders of a period or open now (the check that no assignee was missed).
workOrderSchema.index({ department: 1, assigneeId: 1, status: 1, dispatchedAt: -1 });
workOrderSchema.index({ department: 1, assigneeId: 1, status: 1, completedAt: -1 });
workOrderSchema.index({ department: 1, status: 1, dispatchedAt: -1 });
workOrderSchema.index({ department: 1, status: 1, completedAt: -1 });
// Company-wide, the same check: orders of some statuses dispatched in a period (also the dispatch
// calendar's day rollups: a day's on-calendar orders, and the period's count that checks them).
workOrderSchema.index({ status: 1, dispatchedAt: -1 });
// The calendar rollups' catch-up: orders written since the watermark (calendar-days.ts).
workOrderSchema.index({ updatedAt: 1 });

export type WorkOrderDoc = InferSchemaType<typeof workOrderSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date };
export const WorkOrder = mongoose.model('WorkOrder', workOrderSchema, 'work_orders');
