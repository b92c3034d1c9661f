import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { followUpStatuses } from '@qiao/shared';

/**
 * 回访 after a low rating. `_id` is the request's id: a request has at most one follow-up, whoever
 * inserts it first.
 */
const followUpSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    feedbackId: { type: String, required: true },
    department: { type: String, default: '' },
    status: { type: String, enum: followUpStatuses, required: true, default: 'open' },
    version: { type: Number, required: true, default: 0 },
    note: { type: String, default: '' },
    closedAt: { type: Date, default: null },
    closedBy: { type: String, default: null },
  },
  { timestamps: true, versionKey: false },
);

// 回访 list: department scope, status, newest first; a request's follow-up.
followUpSchema.index({ department: 1, status: 1, createdAt: -1 });
followUpSchema.index({ department: 1, createdAt: -1 });
followUpSchema.index({ status: 1, createdAt: -1 });
followUpSchema.index({ createdAt: -1 });
followUpSchema.index({ feedbackId: 1 });

export type FollowUpDoc = InferSchemaType<typeof followUpSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date };
export const FollowUp = mongoose.model('FollowUp', followUpSchema, 'follow_ups');
