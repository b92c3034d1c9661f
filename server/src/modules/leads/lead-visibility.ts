// Who sees and works which leads (数据权限), in one place for the list, detail, export, edits,
// assignment and the duplicate check's masking:
//   admin: all; manager: leads whose `department` lies in their subtree, plus the unassigned intake
//   (leads without a department, e.g. a campaign's before anyone takes them); sales: leads they own
//   or collaborate on; marketer: campaign leads, read only; dispatcher, engineer: none.
// "Owner or collaborator" is never an `$or` (a scan on the embedded database): owned ids by the
// indexed `ownerId` equality, shared ids from `lead_collaborators` by `staffId`, then `_id $in`.
import { FEW_MATCHES, idsCondition, withinList } from '../../lib/search.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { departmentScopeIds } from '../org/scope.js';
import { LeadCollaborator } from './lead-collaborator.model.js';
import { Lead } from './lead.model.js';

/** The fields of a lead that decide who sees it. */
export interface LeadAccessFields {
  ownerId?: string | null;
  collaboratorIds?: string[] | null;
  department?: string | null;
  source?: string | null;
}

export interface LeadVisibility {
  /** The list condition; null: sees no lead. */
  filter: Record<string, unknown> | null;
  canSee(doc: LeadAccessFields): boolean;
  /** Edit fields and status, add notes: admin, a manager in scope, the owner or a collaborator. */
  canEdit(doc: LeadAccessFields): boolean;
  /** Assign / reassign: admin and managers in scope. */
  canAssign(doc: LeadAccessFields): boolean;
  /** Set collaborators: admin, a manager in scope, the owner. */
  canShare(doc: LeadAccessFields): boolean;
}

/** The most own-or-shared leads turned into an `_id` list; past it the owner condition alone is used with shared ids read after. */
const MAX_ID_LIST = 5000;

/** Ids of the leads shared with `staffId`. */
export async function sharedLeadIds(staffId: string): Promise<string[]> {
  const rows = await LeadCollaborator.find({ staffId }, { leadId: 1 }).lean<Array<{ leadId: string }>>();
  return rows.map((row) => row.leadId);
}

/** "Owner is me or I collaborate": `{ownerId}` when nothing is shared with me, else an `_id` list. */
export async function ownOrSharedCondition(staffId: string): Promise<Record<string, unknown>> {
  const shared = await sharedLeadIds(staffId);
  if (shared.length === 0) return { ownerId: staffId };
  const owned = await Lead.find({ ownerId: staffId }, { _id: 1 }).limit(MAX_ID_LIST).lean<Array<{ _id: unknown }>>();
  return idsCondition([...new Set([...owned.map((doc) => String(doc._id)), ...shared])]);
}

/** Shared ids per source: one SQL `IN` list each, well under SQLite's variable limit. */
const SHARED_CHUNK = 5000;

/**
 * "Owner is me or I collaborate" as disjoint conditions: `{ownerId}` (its index), and the shared
 * leads by `_id` that I do not own (a lead reassigned to a collaborator is counted once).
 */
export async function ownOrSharedSources(staffId: string): Promise<Array<Record<string, unknown>>> {
  const shared = [...new Set(await sharedLeadIds(staffId))];
  const sources: Array<Record<string, unknown>> = [{ ownerId: staffId }];
  for (let i = 0; i < shared.length; i += SHARED_CHUNK) {
    sources.push({ _id: { $in: shared.slice(i, i + SHARED_CHUNK) }, ownerId: { $ne: staffId } });
  }
  return sources;
}

/**
 * A source that is an `_id` list (the leads shared with a salesperson, with `ownerId: {$ne}` and the
 * list's filters), read by `_id` alone while the list is short and its other conditions checked
 * after: given a status equality beside the list, SQLite would walk every lead of that status.
 */
export function byIdsFirst(source: Record<string, unknown>): Record<string, unknown> {
  const { _id: ids, ...rest } = source;
  const list = (ids as { $in?: unknown[] } | undefined)?.$in;
  return list ? withinList({ _id: ids }, rest, list.length <= FEW_MATCHES) : source;
}

/**
 * What the viewer sees as disjoint flat conditions, each served by an index, for lists that read
 * them one by one and merge in code (lib/key-pages.ts); null: no lead. The same rule as `filter`
 * of leadVisibility, without reading a salesperson's owned ids into an `_id` list.
 */
export async function leadListSources(viewer: StaffPrincipal): Promise<Array<Record<string, unknown>> | null> {
  if (viewer.role === 'sales') return ownOrSharedSources(viewer.staffId);
  const { filter } = await leadVisibility(viewer);
  if (!filter) return null;
  // A manager's departments one by one: `{department, createdAt}` then serves each in order, where
  // an `$in` would have SQLite sort every lead of the subtree for one page.
  const departments = (filter.department as { $in?: string[] } | undefined)?.$in;
  return departments ? departments.map((department) => ({ ...filter, department })) : [filter];
}

const isMine = (staffId: string, doc: LeadAccessFields) => doc.ownerId === staffId || (doc.collaboratorIds ?? []).includes(staffId);

/**
 * `filter: false`: the caller checks single leads (`canSee` …) and never reads `filter`, which for a
 * salesperson is then only their owned leads' condition, not the own-or-shared `_id` list.
 */
export async function leadVisibility(viewer: StaffPrincipal, options: { filter?: boolean } = {}): Promise<LeadVisibility> {
  const none = () => false;
  switch (viewer.role) {
    case 'admin': {
      const all = () => true;
      return { filter: {}, canSee: all, canEdit: all, canAssign: all, canShare: all };
    }
    case 'manager': {
      const scope = (await departmentScopeIds(viewer)) ?? [];
      const departments = [...new Set([...scope, ''])];
      const inScope = (doc: LeadAccessFields) => departments.includes(doc.department ?? '');
      return {
        filter: { department: departments.length === 1 ? departments[0] : { $in: departments } },
        canSee: inScope,
        canEdit: inScope,
        canAssign: inScope,
        canShare: inScope,
      };
    }
    case 'sales': {
      const mine = (doc: LeadAccessFields) => isMine(viewer.staffId, doc);
      return {
        // Read only when asked for: an `_id` list as long as the salesperson's leads.
        filter: options.filter === false ? { ownerId: viewer.staffId } : await ownOrSharedCondition(viewer.staffId),
        canSee: mine,
        canEdit: mine,
        canAssign: none,
        canShare: (doc) => doc.ownerId === viewer.staffId,
      };
    }
    case 'marketer':
      return { filter: { source: 'campaign' }, canSee: (doc) => doc.source === 'campaign', canEdit: none, canAssign: none, canShare: none };
    default:
      return { filter: null, canSee: none, canEdit: none, canAssign: none, canShare: none };
  }
}
