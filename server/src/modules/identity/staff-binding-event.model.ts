import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * A WeChat user bound to a staff member by invite code — kept so the console can show who bound
 * which WeChat when, and whether it replaced an earlier one (a takeover would show up here).
 */
const staffBindingEventSchema = new Schema(
  {
    staffId: { type: String, required: true, index: true },
    wechatUserId: { type: String, required: true },
    /** The WeChat user bound before, now unbound; null for a first binding. */
    previousWechatUserId: { type: String, default: null },
    /** One event per code: a retried bind records nothing new. */
    inviteCode: { type: String, required: true, unique: true },
    /** The staff member who issued the code. */
    issuedBy: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

// A staff member's binding history, newest first.
staffBindingEventSchema.index({ staffId: 1, at: -1 });

export type StaffBindingEventDoc = InferSchemaType<typeof staffBindingEventSchema> & { _id: mongoose.Types.ObjectId };
export const StaffBindingEvent = mongoose.model('StaffBindingEvent', staffBindingEventSchema, 'staff_binding_events');
