import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * One "send me a code" request, inserted before it is decided: the per-phone and per-user rates
 * count these documents, which holds under concurrency (inserts are the one write every FerretDB
 * client sees at once). Removed by the code clean-up job.
 */
const verificationRequestSchema = new Schema(
  {
    _id: { type: String, required: true },
    phone: { type: String, required: true },
    wechatUserId: { type: String, required: true },
    at: { type: Date, required: true },
    /** Turned away (too soon, too many) or not sent (SMS failed): does not count towards the rates. */
    refused: { type: Boolean, default: false },
  },
  { versionKey: false },
);
verificationRequestSchema.index({ phone: 1, at: 1 });
verificationRequestSchema.index({ wechatUserId: 1, at: 1 });

verificationRequestSchema.index({ at: 1 });

export type VerificationRequestDoc = InferSchemaType<typeof verificationRequestSchema> & { _id: string };
export const VerificationRequest = mongoose.model('VerificationRequest', verificationRequestSchema, 'verification_requests');
