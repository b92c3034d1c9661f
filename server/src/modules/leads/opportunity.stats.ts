// Read-only opportunity figures for the reports module (报表): the opportunities of a set of leads
// (the funnel's "won"), and those won in a period (a salesperson's won amount).
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

/** Opportunities made from these leads (index `leadId`), in chunks. */
export async function opportunitiesOfLeads(leadIds: string[]): Promise<OpportunityStats[]> {
  const out: OpportunityStats[] = [];
  for (let i = 0; i < leadIds.length; i += CHUNK) {
    const rows = await Opportunity.find({ leadId: { $in: leadIds.slice(i, i + CHUNK) } }, FIELDS).lean<Row[]>();
    out.push(...rows.map(toStats));
  }
  return out;
}

/**
 * Opportunities won in [start, end): stage `won` (indexed) with the period checked on `closedAt`;
 * of one owner when `ownerId` is given (index `ownerId`).
 */
export async function wonOpportunitiesBetween(departments: string[] | null, ownerId: string | null, start: Date, end: Date): Promise<OpportunityStats[]> {
  const filter = flatFilter(ownerId ? { ownerId } : filterFor(departments), { stage: 'won', closedAt: { $gte: start, $lt: end } });
  return (await Opportunity.find(filter, FIELDS).lean<Row[]>()).map(toStats);
}
