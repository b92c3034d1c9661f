import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** One visit (多次处理) of an engineer on a work order. */
const visitSchema = new Schema(
  {
    workOrderId: { type: String, required: true, index: true },
    feedbackId: { type: String, required: true, index: true },
    engineerId: { type: String, required: true },
    checkInAt: { type: Date, required: true },
    location: {
      type: new Schema({ latitude: Number, longitude: Number, address: { type: String, default: '' } }, { _id: false }),
      default: null,
    },
    /** Colleagues only. */
    internalNote: { type: String, default: '' },
    /** Shown to the customer. */
    customerNote: { type: String, default: '' },
    photoIds: { type: [String], default: [] },
    parts: { type: [{ _id: false, name: String, model: String, quantity: Number }], default: [] },
    /** Amounts in fen (分). */
    charges: { type: [{ _id: false, item: String, amountFen: Number }], default: [] },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

// A request's visits in check-in order (detail page).
visitSchema.index({ feedbackId: 1, checkInAt: 1 });

export type VisitDoc = InferSchemaType<typeof visitSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date };
export const Visit = mongoose.model('Visit', visitSchema, 'service_visits');
