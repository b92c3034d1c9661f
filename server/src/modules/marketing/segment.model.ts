import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** 客户细分: saved rules (shared `segmentRulesSchema`), evaluated over contacts when used. */
const segmentSchema = new Schema(
  {
    name: { type: String, required: true },
    description: { type: String, default: '' },
    rules: { type: Schema.Types.Mixed, required: true, default: {} },
    createdBy: { type: String, required: true },
    deletedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
segmentSchema.index({ deletedAt: 1, updatedAt: -1 });

export type SegmentDoc = InferSchemaType<typeof segmentSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date; updatedAt: Date };
export const Segment = mongoose.model('Segment', segmentSchema, 'segments');
