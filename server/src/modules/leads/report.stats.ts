// Read-only lead figures for the reports module (报表): the lead cells (department, owner, source,
// campaign → leads, converted, won, won amount) of the leads submitted in a period within a scope
// (department subtree, a salesperson's own and shared leads, campaign leads only) — from the day
// rollups (lead-days.ts); a salesperson's shared leads, which no rollup can express, are read directly.
import { idsInclude } from '../org/scope.js';
import { isConverted, leadDays, summarizeLeads, type LeadCell, type LeadRow } from './lead-days.js';
import { sharedLeadIds } from './lead-visibility.js';
import { Lead } from './lead.model.js';
import { wonAmountsOfLeads } from './opportunity.stats.js';

export type { LeadCell } from './lead-days.js';
export { isConverted };

export interface LeadScope {
  departments: string[] | null;
  /** Only leads this person owns or collaborates on (the lead list's rule). */
  ownerId: string | null;
  campaignOnly: boolean;
}

export interface LeadPeriod {
  /** First and last China day, YYYY-MM-DD. */
  from: string;
  to: string;
  /** [start, end) as instants. */
  start: Date;
  end: Date;
}

const FIELDS = { source: 1, campaignId: 1, campaignName: 1, status: 1, ownerId: 1, department: 1, convertedAt: 1 } as const;
const CHUNK = 500;

/** Leads shared with `staffId` that others own, created in the period, as cells (bounded by one person's shares). */
async function sharedCells(staffId: string, period: LeadPeriod): Promise<LeadCell[]> {
  const shared = await sharedLeadIds(staffId);
  const leads: LeadRow[] = [];
  for (let i = 0; i < shared.length; i += CHUNK) {
    const rows = await Lead.find({ _id: { $in: shared.slice(i, i + CHUNK) }, createdAt: { $gte: period.start, $lt: period.end } }, FIELDS).lean<LeadRow[]>();
    leads.push(...rows.filter((row) => (row.ownerId ?? '') !== staffId));
  }
  if (leads.length === 0) return [];
  return summarizeLeads(leads, await wonAmountsOfLeads(leads.map((lead) => String(lead._id))));
}

/** The cells of the leads created in the period that the scope covers (several days' cells of one key are not merged). */
export async function leadCellsBetween(scope: LeadScope, period: LeadPeriod): Promise<LeadCell[]> {
  const cells = (await leadDays(period.from, period.to)).flatMap((day) => day.cells);
  if (scope.ownerId) {
    const ownerId = scope.ownerId;
    return [...cells.filter((cell) => cell.ownerId === ownerId), ...(await sharedCells(ownerId, period))];
  }
  return cells.filter((cell) => idsInclude(scope.departments, cell.department) && (!scope.campaignOnly || cell.source === 'campaign'));
}
