// Who sees and works which leads (数据权限), in one place for the list, detail, export, edits,
// assignment and the duplicate check's masking:
//   admin: all; manager: leads whose `department` lies in their subtree, plus the unassigned intake
//   (leads without a department, e.g. a campaign's before anyone takes them); sales: leads they own
//   or collaborate on; marketer: campaign leads, read only; dispatcher, engineer: none.
// "Owner or collaborator" is never an `$or` (a scan on the embedded database): owned ids by the
// indexed `ownerId` equality, shared ids from `lead_collaborators` by `staffId`, then `_id $in`.
import { idsCondition } from '../../lib/search.js';
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
  /**
   * The same as disjoint flat conditions, each served by an index, for lists that merge them in
   * code (lib/key-pages.ts); null: sees no lead.
   */
  sources: Array<Record<string, unknown>> | null;
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
export async function ownOrSharedCondition(staffId: string, known?: string[]): Promise<Record<string, unknown>> {
  const shared = known ?? (await sharedLeadIds(staffId));
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
export async function ownOrSharedSources(staffId: string, known?: string[]): Promise<Array<Record<string, unknown>>> {
  const shared = [...new Set(known ?? (await sharedLeadIds(staffId)))];
  const sources: Array<Record<string, unknown>> = [{ ownerId: staffId }];
  for (let i = 0; i < shared.length; i += SHARED_CHUNK) {
    sources.push({ _id: { $in: shared.slice(i, i + SHARED_CHUNK) }, ownerId: { $ne: staffId } });
  }
  return sources;
}

const isMine = (staffId: string, doc: LeadAccessFields) => doc.ownerId === staffId || (doc.collaboratorIds ?? []).includes(staffId);

export async function leadVisibility(viewer: StaffPrincipal): Promise<LeadVisibility> {
  const none = () => false;
  switch (viewer.role) {
    case 'admin': {
      const all = () => true;
      return { filter: {}, sources: [{}], canSee: all, canEdit: all, canAssign: all, canShare: all };
    }
    case 'manager': {
      const scope = (await departmentScopeIds(viewer)) ?? [];
      const departments = [...new Set([...scope, ''])];
      const inScope = (doc: LeadAccessFields) => departments.includes(doc.department ?? '');
      const filter = { department: departments.length === 1 ? departments[0] : { $in: departments } };
      return {
        filter,
        sources: [filter],
        canSee: inScope,
        canEdit: inScope,
        canAssign: inScope,
        canShare: inScope,
      };
    }
    case 'sales': {
      const mine = (doc: LeadAccessFields) => isMine(viewer.staffId, doc);
      const shared = await sharedLeadIds(viewer.staffId);
      const [filter, sources] = await Promise.all([ownOrSharedCondition(viewer.staffId, shared), ownOrSharedSources(viewer.staffId, shared)]);
      return {
        filter,
        sources,
        canSee: mine,
        canEdit: mine,
        canAssign: none,
        canShare: (doc) => doc.ownerId === viewer.staffId,
      };
    }
    case 'marketer':
      return { filter: { source: 'campaign' }, sources: [{ source: 'campaign' }], canSee: (doc) => doc.source === 'campaign', canEdit: none, canAssign: none, canShare: none };
    default:
      return { filter: null, sources: null, canSee: none, canEdit: none, canAssign: none, canShare: none };
  }
}
