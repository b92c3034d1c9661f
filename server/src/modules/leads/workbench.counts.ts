// Read-only counts of leads for the workbench and the menu badges (modules/workbench). `where` is
// an owner (`{ownerId}`) or what the viewer sees (leadsVisibleTo); every filter stays flat (equalities, a `$in`
// of statuses, one date range) so the lead indexes serve it and the count runs in SQL.
import type { LeadStatus } from '@qiao/shared';
import type { StaffPrincipal } from '../identity/principal.js';
import { flatFilter } from '../../lib/query.js';
import { byIdsFirst, leadVisibility, ownOrSharedSources } from './lead-visibility.js';
import { Lead } from './lead.model.js';
import { Opportunity } from './opportunity.model.js';

/** Leads still being worked: not converted, not closed. */
export const OPEN_LEAD_STATUSES: readonly LeadStatus[] = ['new', 'assigned', 'following'];

/**
 * The leads the viewer sees, as lead-visibility.ts decides (sales: own or shared; manager: the
 * subtree and the unassigned intake; admin: all); null: none.
 */
export async function leadsVisibleTo(viewer: StaffPrincipal): Promise<Record<string, unknown> | null> {
  return (await leadVisibility(viewer)).filter;
}

type Where = Record<string, unknown> | null;

export const countOpenLeads = async (where: Where) => (where ? Lead.countDocuments({ ...where, status: { $in: [...OPEN_LEAD_STATUSES] } }) : 0);

/**
 * A salesperson's open leads, own and shared, as the lead list counts them: the owned by their
 * index, the shared (not owned) by `_id` — not one `_id` list of both, which SQLite would answer
 * by walking every open lead.
 */
export async function countOwnOpenLeads(staffId: string): Promise<number> {
  const open = { status: { $in: [...OPEN_LEAD_STATUSES] } };
  const counts = await Promise.all((await ownOrSharedSources(staffId)).map((source) => Lead.countDocuments(byIdsFirst(flatFilter(source, open)))));
  return counts.reduce((sum, n) => sum + n, 0);
}

export const leadsWithStatusFilter = (where: Record<string, unknown>, status: LeadStatus) => ({ ...where, status });
export const countLeadsWithStatus = async (where: Where, status: LeadStatus) => (where ? Lead.countDocuments(leadsWithStatusFilter(where, status)) : 0);

/** Leads a campaign brought since `since` (served by the {source, createdAt} index). */
export const countCampaignLeadsSince = (since: Date) => Lead.countDocuments({ source: 'campaign', createdAt: { $gte: since } });

/** Opportunities still open (跟进中), of an owner or within a department condition. */
export const countOpenOpportunities = (where: Record<string, unknown>) => Opportunity.countDocuments({ ...where, stage: 'open' });
