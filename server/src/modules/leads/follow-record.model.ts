import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * 跟进记录: a visit, call or WeChat chat with a lead or a customer, by a staff member. Never edited:
 * a later record supersedes an earlier one's next date (`latest` is cleared on the older ones).
 */
const followRecordSchema = new Schema(
  {
    target: { type: String, enum: ['lead', 'customer'], required: true },
    leadId: { type: String, default: null },
    customerId: { type: String, default: null },
    kind: { type: String, enum: ['visit', 'phone', 'wechat', 'other'], required: true },
    note: { type: String, required: true },
    nextStep: { type: String, default: '' },
    /** 下次跟进: when the next follow-up is due; null for none. */
    nextAt: { type: Date, default: null },
    authorId: { type: String, required: true },
    /** The lead's / customer's department when written: managers see their subtree's records. */
    department: { type: String, default: '' },
    /** The target's newest record: only its `nextAt` is due (cleared when a newer one arrives). */
    latest: { type: Boolean, default: true },
    /** Set by the service (its clock), not by mongoose: tests run the due list on a controlled clock. */
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
// A target's timeline (newest first) and its latest record (the due rows, follow-record.dues.ts),
// the author's own next dates. The due lists read `follow_dues` (follow-record-due.model.ts).
followRecordSchema.index({ leadId: 1, createdAt: -1 });
followRecordSchema.index({ customerId: 1, createdAt: -1 });
followRecordSchema.index({ authorId: 1, nextAt: 1 });
// 我的跟进 (`mine`), newest first.
followRecordSchema.index({ authorId: 1, createdAt: -1 });
// Reports: the follow-ups of a period by department.
followRecordSchema.index({ department: 1, createdAt: -1 });
// Reports: every department's records of a period (the day rollups' counts, follow-days.ts).
followRecordSchema.index({ createdAt: -1 });

export type FollowRecordDoc = InferSchemaType<typeof followRecordSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date };
export const FollowRecord = mongoose.model('FollowRecord', followRecordSchema, 'follow_records');
