import mongoose, { Schema, type InferSchemaType } from 'mongoose';

// _id is the SHA-256 of the bearer token: the token itself is never stored, and every lookup is
// by _id (the only filter FerretDB serves without a scan).
const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: ['staff', 'customer'], required: true },
    subjectId: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

// Signing someone out everywhere; the cleanup of expired sessions.
sessionSchema.index({ kind: 1, subjectId: 1 });
sessionSchema.index({ expiresAt: 1 });

export type SessionDoc = InferSchemaType<typeof sessionSchema>;
export const Session = mongoose.model('Session', sessionSchema, 'sessions');
