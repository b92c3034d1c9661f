import mongoose, { Schema } from 'mongoose';

/** Customers of one department holding one value of a facet: how many, and how many are in the pool. */
export interface CustomerCell {
  department: string;
  facet: 'region' | 'industry' | 'grade';
  /** As stored ('' when not filled in). */
  value: string;
  total: number;
  pool: number;
}

export interface CustomerDayDoc {
  /** China day of creation, YYYY-MM-DD. */
  _id: string;
  total: number;
  cells: CustomerCell[];
  /** When the source read that produced this document began. */
  computedAt: Date;
}

/**
 * Day rollups of customers (report_customer_days): the customers created on a China day, counted
 * per department and region / industry / grade, owned or in the pool — what the customer
 * statistics read instead of every customer. Rebuilt whole from the customers by report-days.ts.
 */
const customerDaySchema = new Schema(
  {
    _id: { type: String, required: true },
    total: { type: Number, required: true },
    cells: { type: [Schema.Types.Mixed], default: [] },
    computedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const CustomerDay = mongoose.model<CustomerDayDoc>('CustomerDay', customerDaySchema, 'report_customer_days');
