import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * The current SMS verification code of a phone number. `_id` is the phone: one code per number,
 * every read and write by _id. The code itself is never stored, only a salted SHA-256 of it.
 * Old records are removed by a job (FerretDB has no TTL indexes).
 */
const verificationCodeSchema = new Schema(
  {
    _id: { type: String, required: true },
    codeHash: { type: String, required: true },
    salt: { type: String, required: true },
    /** The WeChat user who asked for it: only they can use it. */
    wechatUserId: { type: String, required: true },
    sentAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    /** Wrong codes entered so far; the code is dead at VERIFICATION_RULES.maxWrongAttempts. */
    attempts: { type: Number, default: 0 },
    usedAt: { type: Date, default: null },
  },
  { versionKey: false },
);

// The cleanup of expired codes.
verificationCodeSchema.index({ expiresAt: 1 });

export type VerificationCodeDoc = InferSchemaType<typeof verificationCodeSchema> & { _id: string };
export const VerificationCode = mongoose.model('VerificationCode', verificationCodeSchema, 'verification_codes');
