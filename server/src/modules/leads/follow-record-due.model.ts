import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * 待跟进: one row per lead or customer that has a follow-up due (its latest record's next date),
 * with who works the target now — so "due for me / my department" is one indexed range on `dueAt`
 * instead of reading records and their targets. Derived: follow-record.dues.ts writes it when a
 * record is added and when the target changes owner, department or state (closed, converted, back
 * to the pool); a target with nothing due has no row.
 */
const followDueSchema = new Schema(
  {
    /** `lead:<id>` or `customer:<id>`: one row per target, written by replacing it. */
    _id: { type: String, required: true },
    target: { type: String, enum: ['lead', 'customer'], required: true },
    /** The lead's or customer's id. */
    targetId: { type: String, required: true },
    /** The latest record (its note, kind and author are what the list shows). */
    recordId: { type: String, required: true },
    authorId: { type: String, required: true },
    /** The latest record's next follow-up date. */
    dueAt: { type: Date, required: true },
    /** The target's owner and department now (a lead without an owner has none). */
    ownerId: { type: String, default: null },
    department: { type: String, default: '' },
  },
  { versionKey: false, minimize: false },
);
// Due for a salesperson (owned), for a manager's departments one by one, for admin (all).
followDueSchema.index({ ownerId: 1, dueAt: 1 });
followDueSchema.index({ department: 1, dueAt: 1 });
followDueSchema.index({ dueAt: 1 });

export type FollowDueDoc = InferSchemaType<typeof followDueSchema>;
export const FollowDue = mongoose.model('FollowDue', followDueSchema, 'follow_dues');
