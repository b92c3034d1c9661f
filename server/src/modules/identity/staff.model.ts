import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { staffRoles } from '@qiao/shared';

const staffSchema = new Schema(
  {
    username: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: staffRoles, required: true },
    department: { type: String, default: null },
    phone: { type: String, default: null },
    /** Engineers: the regions and product lines they serve (dispatch suggestions match on them). */
    regions: { type: [String], default: [] },
    productLines: { type: [String], default: [] },
    /** The WeChat user this staff member bound by invite code (engineer pages of the mini-program). */
    wechatUserId: { type: String, default: null },
    active: { type: Boolean, default: true },
    /**
     * Sessions created before this moment are over (password changed or reset, deactivated):
     * checked on every request, so a session being created at that moment cannot survive either.
     */
    sessionsValidFrom: { type: Date, default: null },
    lastLoginAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);

// Staff list: department scope, role, oldest first; the engineer pickers (active engineers by name).
staffSchema.index({ department: 1, createdAt: 1 });
staffSchema.index({ role: 1, createdAt: 1 });
staffSchema.index({ createdAt: 1 });
staffSchema.index({ role: 1, active: 1, name: 1 });

export type StaffDoc = InferSchemaType<typeof staffSchema> & { _id: mongoose.Types.ObjectId };
export const Staff = mongoose.model('Staff', staffSchema, 'staff');
