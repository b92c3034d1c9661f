import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * An invite code that binds a WeChat user to a staff member (the engineer pages of the
 * mini-program). `_id` is the code itself: redeeming it is a single-key read. Valid 7 days, once.
 */
const inviteCodeSchema = new Schema(
  {
    _id: { type: String, required: true },
    staffId: { type: String, required: true },
    /** The staff member who issued it. */
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    usedBy: { type: String, default: null },
  },
  { versionKey: false },
);

// A staff member's unused codes (replaced by a new one); the cleanup of expired codes.
inviteCodeSchema.index({ staffId: 1, usedAt: 1 });
inviteCodeSchema.index({ expiresAt: 1 });

export type InviteCodeDoc = InferSchemaType<typeof inviteCodeSchema> & { _id: string };
export const InviteCode = mongoose.model('InviteCode', inviteCodeSchema, 'invite_codes');
