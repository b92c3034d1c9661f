// Read-only counts of leads for the workbench and the menu badges (modules/workbench). `where` is
// an owner (`{ownerId}`) or a department condition; every filter stays flat (equalities, a `$in`
// of statuses, one date range) so the lead indexes serve it and the count runs in SQL.
import type { LeadStatus } from '@qiao/shared';
import { Lead } from './lead.model.js';
import { Opportunity } from './opportunity.model.js';

/** Leads still being worked: not converted, not closed. */
export const OPEN_LEAD_STATUSES: readonly LeadStatus[] = ['new', 'assigned', 'following'];

export const countOpenLeads = (where: Record<string, unknown>) => Lead.countDocuments({ ...where, status: { $in: [...OPEN_LEAD_STATUSES] } });

export const countLeadsWithStatus = (where: Record<string, unknown>, status: LeadStatus) => Lead.countDocuments({ ...where, status });

/** Leads a campaign brought since `since` (served by the {source, createdAt} index). */
export const countCampaignLeadsSince = (since: Date) => Lead.countDocuments({ source: 'campaign', createdAt: { $gte: since } });

/** Opportunities still open (跟进中), of an owner or within a department condition. */
export const countOpenOpportunities = (where: Record<string, unknown>) => Opportunity.countDocuments({ ...where, stage: 'open' });
