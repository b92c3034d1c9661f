// Read-only lead figures for the reports module (报表): the leads submitted in a period within a
// scope (department subtree, a salesperson's own and shared leads, campaign leads only), as plain
// projections over the indexed createdAt range.
import { flatFilter } from '../../lib/query.js';
import { filterFor } from '../org/scope.js';
import { ownOrSharedCondition } from './lead-visibility.js';
import { Lead } from './lead.model.js';

export interface LeadStats {
  id: string;
  source: string;
  campaignId: string | null;
  campaignName: string | null;
  status: string;
  ownerId: string | null;
  department: string;
  convertedAt: Date | null;
  createdAt: Date;
}

export interface LeadScope {
  departments: string[] | null;
  /** Only leads this person owns or collaborates on (the lead list's rule). */
  ownerId: string | null;
  campaignOnly: boolean;
}

const FIELDS = { source: 1, campaignId: 1, campaignName: 1, status: 1, ownerId: 1, department: 1, convertedAt: 1, createdAt: 1 } as const;
type Row = Omit<LeadStats, 'id'> & { _id: unknown };

export async function leadsCreatedBetween(scope: LeadScope, start: Date, end: Date): Promise<LeadStats[]> {
  // "Mine" is the owner equality or an `_id` list (owned + shared), never an `$or` scan.
  const who = scope.ownerId ? await ownOrSharedCondition(scope.ownerId) : filterFor(scope.departments);
  const filter = flatFilter(who, { createdAt: { $gte: start, $lt: end } }, scope.campaignOnly ? { source: 'campaign' } : {});
  const rows = await Lead.find(filter, FIELDS).lean<Row[]>();
  return rows.map((row) => ({
    id: String(row._id),
    source: row.source,
    campaignId: row.campaignId ?? null,
    campaignName: row.campaignName ?? null,
    status: row.status,
    ownerId: row.ownerId ?? null,
    department: row.department ?? '',
    convertedAt: row.convertedAt ?? null,
    createdAt: row.createdAt,
  }));
}
