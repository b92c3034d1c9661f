// Read-only opportunity figures for the reports module (报表): the won amounts of a set of leads
// (the funnel's "won"), those won in a period (a salesperson's won amount), and the leads whose
// opportunities changed since a time (the lead day rollups' catch-up, lead-days.ts).
import { FAR_FUTURE, type Versioned } from '../../lib/day-rollups.js';
import { flatFilter } from '../../lib/query.js';
import { filterFor } from '../org/scope.js';
import { Opportunity } from './opportunity.model.js';

export interface OpportunityStats {
  id: string;
  leadId: string | null;
  ownerId: string;
  stage: string;
  /** 分 */
  amount: number;
  closedAt: Date | null;
}

type Row = Omit<OpportunityStats, 'id'> & { _id: unknown };
const FIELDS = { leadId: 1, ownerId: 1, stage: 1, amount: 1, closedAt: 1 } as const;
const toStats = (row: Row): OpportunityStats => ({
  id: String(row._id),
  leadId: row.leadId ?? null,
  ownerId: row.ownerId,
  stage: row.stage,
  amount: row.amount ?? 0,
  closedAt: row.closedAt ?? null,
});

const CHUNK = 500;

export interface WonOpportunity extends Versioned {
  leadId: string;
  /** 分 */
  amount?: number;
}

/** The won opportunities of `leadIds`, with the version read (`updatedAt`). */
export async function wonOpportunitiesOfLeads(leadIds: string[]): Promise<WonOpportunity[]> {
  const rows: WonOpportunity[] = [];
  for (let i = 0; i < leadIds.length; i += CHUNK) {
    rows.push(...(await Opportunity.find({ leadId: { $in: leadIds.slice(i, i + CHUNK) }, stage: 'won' }, { leadId: 1, amount: 1, updatedAt: 1 }).lean<WonOpportunity[]>()));
  }
  return rows;
}

/** Per lead: the amount (分) of its won opportunities among `rows`; leads without one are absent. */
export function wonAmounts(rows: WonOpportunity[]): Map<string, number> {
  const won = new Map<string, number>();
  for (const row of rows) won.set(row.leadId, (won.get(row.leadId) ?? 0) + (row.amount ?? 0));
  return won;
}

/** Per lead of `leadIds`: the amount (分) of its won opportunities; leads without one are absent. */
export const wonAmountsOfLeads = async (leadIds: string[]): Promise<Map<string, number>> => wonAmounts(await wonOpportunitiesOfLeads(leadIds));

export type WrittenOpportunity = Versioned & { leadId?: string | null; stage: string };

/** The opportunities written in `updatedAt` range `range` (index `updatedAt`: a two-sided range). */
export const opportunitiesWritten = (range: { $gte?: Date; $gt?: Date; $lt: Date }): Promise<WrittenOpportunity[]> =>
  Opportunity.find({ updatedAt: range }, { leadId: 1, stage: 1, updatedAt: 1 }).lean<WrittenOpportunity[]>();

/** Leads (ids) of the opportunities written at or after `since`. */
export async function leadsOfOpportunitiesWrittenSince(since: Date): Promise<string[]> {
  const rows = await opportunitiesWritten({ $gte: since, $lt: FAR_FUTURE });
  return [...new Set(rows.flatMap((row) => (row.leadId ? [row.leadId] : [])))];
}

/**
 * Opportunities won in [start, end): stage `won` and the `closedAt` range (index `{stage, closedAt}`);
 * of one owner when `ownerId` is given.
 */
export async function wonOpportunitiesBetween(departments: string[] | null, ownerId: string | null, start: Date, end: Date): Promise<OpportunityStats[]> {
  const filter = flatFilter(ownerId ? { ownerId } : filterFor(departments), { stage: 'won', closedAt: { $gte: start, $lt: end } });
  return (await Opportunity.find(filter, FIELDS).lean<Row[]>()).map(toStats);
}
