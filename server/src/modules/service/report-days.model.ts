import mongoose, { Schema } from 'mongoose';

/** What a group of requests took, in milliseconds: kept as lists so medians stay exact. */
export interface DayTimes {
  count: number;
  /** accepted − created, for requests an engineer accepted. */
  response: number[];
  /** completed − created, for completed requests. */
  completion: number[];
  /** completed − requested (negative: early), for completed requests with a requested time. */
  vsRequested: number[];
  withRequested: number;
  /** Completed after the requested time. */
  overdueDone: number;
  /** Requested times (ms) of the others with one: overdue once they are past the report's `now`. */
  openDue: number[];
}

/** Rating sums of one engineer ('' = none) and product line (as stored). */
export interface DayRatings {
  engineerId: string;
  productLine: string;
  count: number;
  timeliness: number;
  attitude: number;
  quality: number;
  low: number;
}

/** The figures of one department's requests created on one China day. */
export interface DepartmentDay {
  department: string;
  total: number;
  types: Array<{ type: string; times: DayTimes }>;
  statuses: Array<{ status: string; count: number }>;
  /** Product line as stored ('' when none), with how many of them are completed. */
  lines: Array<{ line: string; count: number; completed: number }>;
  ratings: DayRatings[];
}

export interface RequestDayDoc {
  /** China day, YYYY-MM-DD. */
  _id: string;
  total: number;
  departments: DepartmentDay[];
  /** When the source read that produced this document began. */
  computedAt: Date;
}

/**
 * Day rollups of service requests (report_request_days): the requests created on a China day,
 * summed per department — what the service reports read instead of every request of a period.
 * Rebuilt whole from the requests by report-days.ts; never edited in place.
 */
const requestDaySchema = new Schema(
  {
    _id: { type: String, required: true },
    total: { type: Number, required: true },
    departments: { type: [Schema.Types.Mixed], default: [] },
    computedAt: { type: Date, required: true },
  },
  { versionKey: false },
);

export const RequestDay = mongoose.model('RequestDay', requestDaySchema, 'report_request_days');
