import { Schema, type InferSchemaType } from 'mongoose';
import mongoose from 'mongoose';

/**
 * The pool clock of a customer (客户公海): when it was last followed up (`<customerId>:follow-up`)
 * and last won (`<customerId>:deal`), one document each. Kept apart from the customer because on
 * FerretDB an update writes the whole document back: a follow-up's update of the customer racing
 * a claim or transfer lost one of the two (measured: 36 of 100). Nothing else writes these.
 */
const poolClockSchema = new Schema(
  {
    _id: { type: String, required: true },
    customerId: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export type PoolClockDoc = InferSchemaType<typeof poolClockSchema>;
export const PoolClockRecord = mongoose.model('CustomerPoolClock', poolClockSchema, 'customer_pool_clocks');
