import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** 产品档案: one installed device of a customer. */
const productArchiveSchema = new Schema(
  {
    serialNumber: { type: String, required: true, unique: true },
    model: { type: String, required: true },
    productLine: { type: String, required: true },
    customerId: { type: Schema.Types.ObjectId, required: true, index: true },
    installedAt: { type: Date, required: true },
    warrantyEndsAt: { type: Date, required: true },
    address: { type: String, default: '' },
    /** The customer's department, copied (kept in step by product-archive.service.ts): the list's scope is one equality. */
    department: { type: String, default: '' },
    /** Set once the 30-day warranty reminder went out, so the daily job sends it once. */
    warrantyReminderSentAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false },
);
// Product archive list: by customer, warranty state (a range on warrantyEndsAt), newest first;
// the daily warranty reminder (not yet sent, ending within 30 days).
productArchiveSchema.index({ customerId: 1, createdAt: -1 });
productArchiveSchema.index({ createdAt: -1 });
productArchiveSchema.index({ department: 1, createdAt: -1 });
productArchiveSchema.index({ warrantyEndsAt: 1 });
productArchiveSchema.index({ warrantyReminderSentAt: 1, warrantyEndsAt: 1 });

export type ProductArchiveDoc = InferSchemaType<typeof productArchiveSchema> & { _id: mongoose.Types.ObjectId };
export const ProductArchive = mongoose.model('ProductArchive', productArchiveSchema, 'product_archives');
