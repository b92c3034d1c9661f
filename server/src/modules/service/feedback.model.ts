import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { feedbackStatuses, feedbackTypes, timelineKinds } from '@qiao/shared';

/**
 * What happened to a request, in order: the timeline is built from these. Actors and engineers are
 * stored by id; names and phones are read when the timeline is shown.
 */
const eventSchema = new Schema(
  {
    kind: { type: String, enum: timelineKinds, required: true },
    at: { type: Date, required: true },
    /** Staff member who did it (dispatcher, engineer); null for the customer or the system. */
    actorId: { type: String, default: null },
    /** The engineer it concerns: dispatched to, accepted by, transferred to, visited. */
    engineerId: { type: String, default: null },
    /** Reject / undispatch / transfer reason, dispatch or completion note (staff only). */
    note: { type: String, default: '' },
    visitId: { type: String, default: null },
    /** `completed` by a dispatcher (直接完成) rather than by the engineer. */
    direct: { type: Boolean, default: false },
    /** `dispatched` that replaced an open order (改派) rather than a first dispatch. */
    reassigned: { type: Boolean, default: false },
  },
  { _id: false },
);

const ratingSchema = new Schema(
  {
    timeliness: { type: Number, required: true },
    attitude: { type: Number, required: true },
    quality: { type: Number, required: true },
    comment: { type: String, default: '' },
    ratedAt: { type: Date, required: true },
  },
  { _id: false },
);

/**
 * A customer's service request (客户反馈). Its state changes only through state-change.ts: every
 * write is claimed by `version` (see work-order-claim.model.ts), so concurrent writers cannot
 * lose each other's updates on FerretDB.
 */
const feedbackSchema = new Schema(
  {
    /** FW20261122-0001: per day in China time. */
    number: { type: String, required: true, unique: true },
    /** Generated once per form by the client: a resubmit returns this request instead of a second one. */
    clientRequestId: { type: String, required: true, unique: true },
    /** The WeChat user who submitted it: what a customer may see. */
    wechatUserId: { type: String, required: true, index: true },
    customerId: { type: String, required: true },
    contactId: { type: String, required: true },
    productArchiveId: { type: String, default: null },
    type: { type: String, enum: feedbackTypes, required: true },
    status: { type: String, enum: feedbackStatuses, required: true, default: 'submitted' },
    description: { type: String, required: true },
    photoIds: { type: [String], default: [] },
    contactPhone: { type: String, required: true },
    address: { type: String, default: '' },
    /** 客户要求完成时间 */
    requestedBy: { type: Date, default: null },
    /**
     * When the request becomes overdue: `requestedBy` while it is open, NEVER_OVERDUE once completed
     * or without a requested time. Overdue is then one indexed range (`< now`) and not overdue its
     * complement (`>= now`); kept by submitFeedback and StateChange (completion).
     */
    overdueAt: { type: Date, default: null },
    // Copied at submission: what dispatchers filter, match engineers and see by.
    region: { type: String, default: '' },
    productLine: { type: String, default: '' },
    department: { type: String, default: '' },

    version: { type: Number, required: true, default: 0 },
    /** The order being worked on, or the one that completed it; null while waiting for dispatch. */
    currentWorkOrderId: { type: String, default: null },
    /** Assignee of the current order (list filter). */
    engineerId: { type: String, default: null },
    events: { type: [eventSchema], default: [] },
    completedAt: { type: Date, default: null },
    rating: { type: ratingSchema, default: null },
    /** Reminders already sent (`due_soon`, `overdue`): the reminder jobs send each once. */
    reminders: { type: [{ _id: false, kind: String, at: Date }], default: [] },
  },
  { timestamps: true, versionKey: false },
);

// The dispatcher's list: department scope (one department is plain equality), status, sort key
// (docs/indexes.md lists every query with the index that serves it).
feedbackSchema.index({ department: 1, createdAt: -1 });
feedbackSchema.index({ department: 1, status: 1, createdAt: -1 });
feedbackSchema.index({ department: 1, requestedBy: 1, _id: 1 });
feedbackSchema.index({ status: 1, createdAt: -1 });
feedbackSchema.index({ createdAt: -1 });
feedbackSchema.index({ engineerId: 1, createdAt: -1 });
feedbackSchema.index({ requestedBy: 1, _id: 1 });
// Sort by number (the unique index is on another expression on FerretDB, which sorts cannot use),
// type, region / product line, overdue (docs/indexes.md).
feedbackSchema.index({ number: 1, _id: 1 });
feedbackSchema.index({ type: 1, createdAt: -1 });
feedbackSchema.index({ region: 1, productLine: 1, createdAt: -1 });
feedbackSchema.index({ productLine: 1, createdAt: -1 });
// Overdue lists are sorted by createdAt: led by createdAt, so SQLite walks it in order and checks
// overdueAt in the index (an index led by overdueAt would sort tens of thousands of rows), and
// counts from the index alone.
feedbackSchema.index({ createdAt: -1, overdueAt: 1 });
// The customer's 我的服务, and the reminder sweep (open requests by requested time).
feedbackSchema.index({ wechatUserId: 1, createdAt: -1 });
feedbackSchema.index({ status: 1, requestedBy: 1 });
// A customer's requests (department moves, the 360 view's latest) and a contact's.
feedbackSchema.index({ customerId: 1, createdAt: -1 });
feedbackSchema.index({ contactId: 1, createdAt: -1 });
// Requests about a device (search by serial number).
feedbackSchema.index({ productArchiveId: 1 });
// Requests changed since a watermark: the report day rollups' catch-up (report-days.ts).
feedbackSchema.index({ updatedAt: 1 });
// The workbench's counts: completions of a day (今日完成); a department's overdue (超期), led by
// createdAt like the index above so that overdue lists keep walking in order and counts read the
// index alone (an index led by overdueAt made the department's not-overdue list sort every row).
feedbackSchema.index({ department: 1, completedAt: -1 });
feedbackSchema.index({ completedAt: -1 });
feedbackSchema.index({ department: 1, createdAt: -1, overdueAt: 1 });

/** overdueAt of a request that can no longer become overdue (completed, or no requested time). */
export const NEVER_OVERDUE = new Date('9999-12-31T00:00:00.000Z');

/** The overdueAt a request with this status and requested time holds. */
export const overdueAtOf = (status: string, requestedBy: Date | null | undefined): Date =>
  status !== 'completed' && requestedBy ? requestedBy : NEVER_OVERDUE;

// A new document (create, insertMany) gets its overdueAt from its status and requested time.
feedbackSchema.pre('validate', function () {
  if (this.isNew && !this.overdueAt) this.overdueAt = overdueAtOf(this.status, this.requestedBy);
});

export type FeedbackEvent = InferSchemaType<typeof eventSchema>;
export type FeedbackDoc = InferSchemaType<typeof feedbackSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date; updatedAt: Date };
export const Feedback = mongoose.model('Feedback', feedbackSchema, 'feedbacks');
