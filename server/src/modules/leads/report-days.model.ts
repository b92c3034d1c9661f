import mongoose, { Schema } from 'mongoose';

/** The leads of one department, owner, source and campaign created on a day, and how far they got. */
export interface LeadCell {
  department: string;
  /** '' when not assigned. */
  ownerId: string;
  source: string;
  /** '' for leads not from a campaign. */
  campaignId: string;
  campaignName: string;
  leads: number;
  /** Converted (status 转化 or a conversion time). */
  converted: number;
  /** Leads with a won opportunity (whenever it was won), and the sum of those opportunities (分). */
  won: number;
  wonAmount: number;
}

export interface LeadDayDoc {
  /** China day of creation, YYYY-MM-DD. */
  _id: string;
  total: number;
  cells: LeadCell[];
  /** When the source read that produced this document began. */
  computedAt: Date;
}

/** Follow-up records of one department (the target's, when written) by one author on a day. */
export interface FollowCell {
  department: string;
  authorId: string;
  count: number;
}

export interface FollowDayDoc {
  _id: string;
  total: number;
  cells: FollowCell[];
  computedAt: Date;
}

const daySchema = (cellsOf: string) =>
  new Schema(
    {
      _id: { type: String, required: true },
      total: { type: Number, required: true },
      cells: { type: [Schema.Types.Mixed], default: [] },
      computedAt: { type: Date, required: true },
    },
    { versionKey: false, collection: cellsOf },
  );

/**
 * Day rollups of leads (report_lead_days) and of follow-up records (report_follow_days): what the
 * lead funnel and owner performance add up instead of every lead and record of a period. Rebuilt
 * whole from the source by lead-days.ts / follow-days.ts; never edited in place.
 */
export const LeadDay = mongoose.model<LeadDayDoc>('LeadDay', daySchema('report_lead_days'));
export const FollowDay = mongoose.model<FollowDayDoc>('FollowDay', daySchema('report_follow_days'));
