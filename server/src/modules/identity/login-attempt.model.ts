import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * One staff login attempt, inserted before anything is decided: lockout and throttles count these
 * documents. An insert is the only write FerretDB makes visible to every concurrent client at once
 * (a read-then-write counter lets parallel guesses through). Removed by a job (no TTL indexes).
 */
const loginAttemptSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The lower-cased username as typed, whether or not such an account exists. */
    account: { type: String, required: true },
    /** The client address (ctx.ip). */
    address: { type: String, required: true },
    at: { type: Date, required: true },
    /** pending → failed | success; refused (locked or throttled, no password check); busy (hash queue full). */
    outcome: { type: String, enum: ['pending', 'failed', 'success', 'refused', 'busy'], required: true },
    /** Passed the lock and address checks and went on to the password check. */
    admitted: { type: Boolean, default: false },
    /** A later successful login cleared this failure (it no longer counts towards a lock). */
    cleared: { type: Boolean, default: false },
  },
  { versionKey: false },
);
loginAttemptSchema.index({ account: 1, at: 1 });
loginAttemptSchema.index({ address: 1, at: 1 });
loginAttemptSchema.index({ at: 1 });

export type LoginAttemptDoc = InferSchemaType<typeof loginAttemptSchema> & { _id: string };
export const LoginAttempt = mongoose.model('LoginAttempt', loginAttemptSchema, 'login_attempts');
