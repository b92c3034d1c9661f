// Read-only opportunity figures for the reports module (报表): the won amounts of a set of leads
// (the funnel's "won"), those won in a period (a salesperson's won amount), and the leads whose
// opportunities changed since a time (the lead day rollups' catch-up, lead-days.ts).
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

/** Per lead of `leadIds`: the amount (分) of its won opportunities; leads without one are absent. */
export async function wonAmountsOfLeads(leadIds: string[]): Promise<Map<string, number>> {
  const won = new Map<string, number>();
  for (let i = 0; i < leadIds.length; i += CHUNK) {
    const rows = await Opportunity.find({ leadId: { $in: leadIds.slice(i, i + CHUNK) }, stage: 'won' }, { leadId: 1, amount: 1 }).lean<Array<{ leadId: string; amount?: number }>>();
    for (const row of rows) won.set(row.leadId, (won.get(row.leadId) ?? 0) + (row.amount ?? 0));
  }
  return won;
}

const FAR_FUTURE = new Date('9999-12-31T00:00:00.000Z');

/** Leads (ids) of the opportunities written at or after `since` (index `updatedAt`: a two-sided range). */
export async function leadsOfOpportunitiesWrittenSince(since: Date): Promise<string[]> {
  const rows = await Opportunity.find({ updatedAt: { $gte: since, $lt: FAR_FUTURE } }, { leadId: 1 }).lean<Array<{ leadId?: string | null }>>();
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
