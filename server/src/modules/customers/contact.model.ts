import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** 联系人 of a customer. A WeChat user proves to be one by phone + SMS code (身份验证). */
const contactSchema = new Schema(
  {
    customerId: { type: Schema.Types.ObjectId, required: true, index: true },
    name: { type: String, required: true },
    /** Normalised 11-digit mobile number. */
    phone: { type: String, required: true, index: true },
    title: { type: String, default: '' },
    /** The customer's department, copied (kept in step by contact.service.ts): the list's scope is one equality. */
    department: { type: String, default: '' },
    /** Marketing tags (客户细分). */
    tags: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false },
);
// Contact list: by customer (scope), newest first.
contactSchema.index({ customerId: 1, createdAt: -1 });
contactSchema.index({ createdAt: -1 });
contactSchema.index({ department: 1, createdAt: -1 });

export type ContactDoc = InferSchemaType<typeof contactSchema> & { _id: mongoose.Types.ObjectId };
export const Contact = mongoose.model('Contact', contactSchema, 'contacts');
