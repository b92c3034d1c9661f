import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** 客户: a company or household served by the business. */
const customerSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    region: { type: String, required: true },
    industry: { type: String, default: '' },
    grade: { type: String, default: '' },
    address: { type: String, default: '' },
    phone: { type: String, default: '' },
    /** Service department in charge: dispatchers of this department see its requests. */
    department: { type: String, default: '' },
  },
  { timestamps: true, versionKey: false },
);
// Customer list: department scope and region, newest first.
customerSchema.index({ department: 1, createdAt: -1 });
customerSchema.index({ region: 1, createdAt: -1 });
customerSchema.index({ createdAt: -1 });

export type CustomerDoc = InferSchemaType<typeof customerSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date };
export const Customer = mongoose.model('Customer', customerSchema, 'customers');
