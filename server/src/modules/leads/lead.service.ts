// Leads (线索): made from campaign intents, by hand (with the duplicate check, 撞单), edited,
// assigned and shared with collaborators, listed. Who sees and works what: lead-visibility.ts.
import {
  duplicateFields,
  duplicateLookupKeys,
  phoneKey,
  type DuplicateCandidate,
  type DuplicateSettings,
  type DuplicateMatch,
  type LeadBulkAssignResult,
  type LeadFilters,
  type LeadInput,
  type LeadListQuery,
  type LeadStatus,
  type LeadPage,
  type LeadUpdate,
  type Lead as LeadView,
} from '@qiao/shared';
import mongoose from 'mongoose';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { DAY_MS, chinaDayStart } from '../../lib/china-time.js';
import { isDuplicateKey, isObjectIdString } from '../../lib/db.js';
import { newestFirstPage, NEWEST_FIRST } from '../../lib/key-pages.js';
import { flatFilter, paged } from '../../lib/query.js';
import { FEW_MATCHES, idsCondition, withinList } from '../../lib/search.js';
import { activeStaffIdsWithRoles, findStaffProfile, staffByIds, type StaffProfile } from '../identity/lookup.service.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { departmentScopeIds, idsInclude } from '../org/scope.js';
import { readDuplicateSettings, refreshLeadDuplicateKeys, runDuplicateCheck } from './duplicate.service.js';
import { withDuplicateClaims } from './duplicate-claims.js';
import { syncLeadFollowDue } from './follow-record.dues.js';
import { LeadCollaborator, leadCollaboratorId } from './lead-collaborator.model.js';
import { byIdsFirst, leadListSources, leadVisibility, ownOrSharedCondition, ownOrSharedSources, type LeadVisibility } from './lead-visibility.js';
import { Lead, LeadKey, type LeadDoc } from './lead.model.js';
import { matchingLeadIds, refreshLeadSearch } from './lead.search.js';
import { toLeadViews } from './lead.views.js';

export interface CampaignLeadInput {
  campaignId: string;
  campaignName: string;
  /** `<kind>:<id>` of the person: one lead per person per campaign. */
  personKey: string;
  shareToken: string;
  sharePath: Array<{ token: string; kind: 'contact' | 'staff' | 'wechat' | 'visitor'; ownerId: string; name: string }>;
  name: string;
  phone: string;
  company: string;
  products: string[];
  note?: string | undefined;
  /** The staff member at the root of the path when it is a staff hand-out: the lead is theirs. */
  ownerId: string | null;
}

/** After a write of company, name, phone or email: the duplicate-check and the search keys follow. */
async function refreshLeadKeys(id: string): Promise<void> {
  // One after the other: both write `search_terms`, and SQLite takes one writer at a time.
  await refreshLeadDuplicateKeys(id);
  await refreshLeadSearch([id]);
}

/** The lead of a campaign intent: created on the person's first intent, updated on the next ones. */
export async function recordCampaignLead(input: CampaignLeadInput, now = new Date()): Promise<{ leadId: string; created: boolean }> {
  const keyId = `${input.campaignId}:${input.personKey}`;
  const leadId = new mongoose.Types.ObjectId().toHexString();
  const contact = { name: input.name, phone: input.phone, company: input.company, products: input.products, lastIntentAt: now };
  try {
    await LeadKey.create({ _id: keyId, leadId });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const key = await LeadKey.findById(keyId).lean();
    if (!key) throw error;
    await Lead.updateOne(
      { _id: key.leadId },
      { $set: { ...contact, ...(input.note ? { notes: input.note } : {}), shareToken: input.shareToken, sharePath: input.sharePath }, $inc: { intents: 1 } },
    );
    await refreshLeadKeys(key.leadId);
    return { leadId: key.leadId, created: false };
  }
  const owner = input.ownerId ? await findStaffProfile(input.ownerId) : null;
  await Lead.create({
    _id: leadId,
    ...contact,
    source: 'campaign',
    status: input.ownerId ? 'assigned' : 'new',
    ownerId: input.ownerId,
    department: owner?.department ?? '',
    assignedAt: input.ownerId ? now : null,
    campaignId: input.campaignId,
    campaignName: input.campaignName,
    shareToken: input.shareToken,
    sharePath: input.sharePath,
    notes: input.note ?? '',
  });
  await refreshLeadKeys(leadId);
  return { leadId, created: true };
}

// ---- reading ----

/** The conditions of `filters` other than who sees what and the search. */
function wantedOf(filters: LeadFilters): Record<string, unknown> {
  const range: Record<string, Date> = {};
  if (filters.from) range.$gte = chinaDayStart(filters.from);
  if (filters.to) range.$lt = new Date(chinaDayStart(filters.to).getTime() + DAY_MS);
  return {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.source ? { source: filters.source } : {}),
    ...(filters.campaignId ? { campaignId: filters.campaignId } : {}),
    ...(filters.ownerId ? { ownerId: filters.ownerId } : {}),
    ...(Object.keys(range).length > 0 ? { createdAt: range } : {}),
  };
}

const isMineFilter = (filters: LeadFilters) => filters.mine === '1' || filters.mine === 'true';

/** The list condition of `filters` for `viewer` as one filter (the export reads it by key); null: nothing visible. */
export async function leadListFilter(filters: LeadFilters, viewer: StaffPrincipal): Promise<Record<string, unknown> | null> {
  const visibility = await leadVisibility(viewer);
  if (!visibility.filter) return null;
  // A salesperson's visible leads are already their own and shared ones.
  const mineCondition = isMineFilter(filters) && viewer.role !== 'sales' ? await ownOrSharedCondition(viewer.staffId) : {};
  const search = filters.q ? await matchingLeadIds(filters.q) : null;
  return flatFilter(wantedOf(filters), visibility.filter, mineCondition, search ? idsCondition(search.ids) : {});
}

/**
 * The list as disjoint flat conditions, each served by an index (lead-visibility.ts: own and shared
 * are two), merged in code by lib/key-pages.ts; `capped`: the search was too broad to be complete.
 */
async function leadSources(filters: LeadFilters, viewer: StaffPrincipal): Promise<{ sources: Array<Record<string, unknown>>; capped: boolean }> {
  const visible = await leadListSources(viewer);
  if (!visible) return { sources: [], capped: false };
  let sources = visible;
  if (isMineFilter(filters) && viewer.role !== 'sales') {
    const mine = await ownOrSharedSources(viewer.staffId);
    sources = sources.flatMap((scope) => mine.map((own) => flatFilter(scope, own)));
  }
  const wanted = wantedOf(filters);
  if (!filters.q) return { sources: sources.map((source) => byIdsFirst(flatFilter(source, wanted))), capped: false };
  // A search: its matches by `_id` (the index of `_id`), the rest checked on them.
  const search = await matchingLeadIds(filters.q);
  const few = search.ids.length <= FEW_MATCHES;
  const out: Array<Record<string, unknown>> = [];
  for (const source of sources) {
    const { _id: ids, ...rest } = flatFilter(source, wanted);
    const within = ids ? intersect(search.ids, (ids as { $in: string[] }).$in) : search.ids;
    if (within.length > 0) out.push(withinList(idsCondition(within), rest, few));
  }
  return { sources: out, capped: search.capped };
}

function intersect(ids: string[], allowed: readonly unknown[]): string[] {
  const set = new Set(allowed.map(String));
  return ids.filter((id) => set.has(id));
}

export async function listLeads(query: LeadListQuery, viewer: StaffPrincipal): Promise<LeadPage> {
  const { sources, capped } = await leadSources(query, viewer);
  const page = await newestFirstPage({
    sources,
    request: query,
    find: (filter, skip, limit) => Lead.find(filter).sort(NEWEST_FIRST).skip(skip).limit(limit).lean<LeadDoc[]>(),
    count: (filter) => Lead.countDocuments(filter),
  });
  return { ...paged(await toLeadViews(page.rows), page.total, query), nextCursor: page.nextCursor, totalCapped: capped };
}

/** The lead if the viewer sees it (404 otherwise, like a missing one), with their visibility. */
async function visibleLead(id: string, viewer: StaffPrincipal): Promise<{ doc: LeadDoc; visibility: LeadVisibility }> {
  const [doc, visibility] = await Promise.all([isObjectIdString(id) ? Lead.findById(id).lean<LeadDoc>() : null, leadVisibility(viewer, { filter: false })]);
  if (!doc || !visibility.canSee(doc)) throw notFound('LEAD_NOT_FOUND', '线索不存在');
  return { doc, visibility };
}

export async function getLead(id: string, viewer: StaffPrincipal): Promise<LeadView> {
  return (await toLeadViews([(await visibleLead(id, viewer)).doc]))[0]!;
}

async function viewOf(id: string): Promise<LeadView> {
  const doc = await Lead.findById(id).lean<LeadDoc>();
  if (!doc) throw notFound('LEAD_NOT_FOUND', '线索不存在');
  return (await toLeadViews([doc]))[0]!;
}

// ---- create and edit ----

/** An owner a lead may be given to by `viewer`: an active salesperson, within a manager's subtree. */
async function assignableOwner(ownerId: string, viewer: StaffPrincipal): Promise<StaffProfile> {
  const owner = await findStaffProfile(ownerId);
  if (!owner || owner.role !== 'sales' || !owner.active) throw badRequest('INVALID_LEAD_OWNER', '只能分配给在职的销售人员');
  if (viewer.role === 'manager' && !idsInclude(await departmentScopeIds(viewer), owner.department)) {
    throw badRequest('INVALID_LEAD_OWNER', '只能分配给本部门（含下级部门）的销售人员');
  }
  return owner;
}

/** The whole-value keys of the lead under the rules: what two simultaneous saves of one lead share. */
const claimKeysOf = (candidate: DuplicateCandidate, settings: DuplicateSettings) =>
  duplicateLookupKeys(candidate, settings.rules.map((rule) => ({ ...rule, mode: 'exact' as const })));

function refuse(message: string, matches: DuplicateMatch[], allowSave: boolean): never {
  throw conflict('LEAD_DUPLICATE', message, { matches, allowSave });
}

/**
 * A lead entered by hand (or from an Official Account conversation when `wechatUserId` is given).
 * A salesperson's lead is their own; a manager or admin may name an owner. The duplicate check
 * runs first: refuse mode throws 409 LEAD_DUPLICATE; warning mode saves and answers the matches.
 */
export async function createLead(
  viewer: StaffPrincipal,
  input: LeadInput,
  // Warning mode saves on create whatever `confirm` says (the console confirms before posting).
  _options: { confirm?: boolean } = {},
): Promise<{ lead: LeadView; warnings: DuplicateMatch[] }> {
  if (!['sales', 'manager', 'admin'].includes(viewer.role)) throw forbidden('FORBIDDEN', '无权新建线索');
  const ownerId = viewer.role === 'sales' ? viewer.staffId : (input.ownerId ?? null);
  const owner = ownerId && viewer.role !== 'sales' ? await assignableOwner(ownerId, viewer) : null;
  const settings = await readDuplicateSettings();
  const save = async () => {
    const { result, message } = await runDuplicateCheck(input, { viewer, settings });
    if (result.conflict && !result.allowSave) refuse(message, result.matches, false);
    const now = new Date();
    const doc = await Lead.create({
      company: input.company,
      name: input.name,
      phone: input.phone,
      email: input.email,
      region: input.region,
      industry: input.industry,
      products: input.products,
      notes: input.notes,
      source: input.wechatUserId ? 'official-account' : 'manual',
      status: ownerId ? 'assigned' : 'new',
      ownerId,
      department: (owner ? owner.department : viewer.department) ?? '',
      assignedAt: ownerId ? now : null,
      assignedBy: ownerId ? viewer.staffId : null,
      createdBy: viewer.staffId,
      wechatUserId: input.wechatUserId ?? null,
    });
    await refreshLeadKeys(String(doc._id));
    return { lead: await viewOf(String(doc._id)), warnings: result.conflict ? result.matches : [] };
  };
  // Warning mode saves whatever the check says: only refuse mode needs the race closed.
  return settings.allowSave ? save() : withDuplicateClaims(claimKeysOf(input, settings), save);
}

const EDITABLE = ['company', 'name', 'phone', 'email', 'region', 'industry', 'products', 'notes'] as const;

/** Compared as the check compares them: a re-typed phone is no change. */
const sameValue = (field: string, a: unknown, b: unknown) =>
  field === 'phone' ? phoneKey(String(a ?? '')) === phoneKey(String(b ?? '')) : String(a ?? '').trim() === String(b ?? '').trim();

/**
 * Edit fields and status (owner, collaborator, manager in scope, admin). When a field taking part
 * in the check changed, it runs again (the lead itself excluded): refused in refuse mode; in
 * warning mode refused until `confirm`, then saved with the matches as warnings.
 */
export async function updateLead(
  id: string,
  patch: LeadUpdate,
  viewer: StaffPrincipal,
  options: { confirm?: boolean } = {},
): Promise<LeadView & { warnings: DuplicateMatch[] }> {
  const { doc, visibility } = await visibleLead(id, viewer);
  if (!visibility.canEdit(doc)) throw forbidden('LEAD_READ_ONLY', '无权修改该线索');
  const set: Record<string, unknown> = {};
  for (const field of EDITABLE) if (patch[field] !== undefined) set[field] = patch[field];
  let warnings: DuplicateMatch[] = [];
  const settings = await readDuplicateSettings();
  const checked = new Set<string>(settings.rules.map((rule) => rule.field));
  const changed = duplicateFields.some((field) => checked.has(field) && patch[field] !== undefined && !sameValue(field, patch[field], doc[field]));
  if (patch.status !== undefined && patch.status !== doc.status) {
    // 转化 and 关闭 have their own actions (records made, a reason kept); a closed or converted lead
    // comes back only by 重新打开.
    if (patch.status === 'converted' || patch.status === 'closed') throw badRequest('LEAD_STATUS_ACTION', '转化或关闭线索请使用“转化”“关闭”操作');
    if (doc.status === 'converted' || doc.status === 'closed') throw conflict('LEAD_CLOSED', '线索已关闭或已转化，请先重新打开');
    if (patch.status !== 'new' && !doc.ownerId) throw badRequest('LEAD_NOT_ASSIGNED', '请先将线索分配给销售人员');
    set.status = patch.status;
  }
  const merged: DuplicateCandidate = { company: doc.company, name: doc.name, phone: doc.phone, email: doc.email, ...set };
  const save = async () => {
    if (changed) {
      const { result, message } = await runDuplicateCheck(merged, { viewer, excludeLeadId: id, settings });
      if (result.conflict && (!result.allowSave || !options.confirm)) refuse(message, result.matches, result.allowSave);
      warnings = result.matches;
    }
    if (Object.keys(set).length > 0) await Lead.updateOne({ _id: doc._id }, { $set: set });
    if (duplicateFields.some((field) => field in set)) await refreshLeadKeys(id);
  };
  await (changed && !settings.allowSave ? withDuplicateClaims(claimKeysOf(merged, settings), save) : save());
  return { ...(await viewOf(id)), warnings };
}

/** Kept for callers of the status-only edit. */
export async function setLeadStatus(id: string, status: LeadStatus, viewer: StaffPrincipal): Promise<LeadView> {
  const { warnings: _warnings, ...lead } = await updateLead(id, { status }, viewer);
  return lead;
}

// ---- assignment and collaborators ----

/** The write of an assignment: owner, department (the owner's), 新 → 已分配, who and when. */
async function writeAssignment(doc: LeadDoc, owner: StaffProfile, viewer: StaffPrincipal, now: Date): Promise<void> {
  const status = doc.status === 'new' ? 'assigned' : doc.status;
  await Lead.updateOne(
    { _id: doc._id },
    { $set: { ownerId: String(owner._id), department: owner.department ?? '', status, assignedAt: now, assignedBy: viewer.staffId } },
  );
  // Its due follow-up moves to the new owner and department.
  await syncLeadFollowDue(String(doc._id));
}

/** Hands the lead to an active salesperson (reassigning is allowed): managers in scope and admins. */
export async function assignLead(id: string, ownerId: string, viewer: StaffPrincipal): Promise<LeadView> {
  const { doc, visibility } = await visibleLead(id, viewer);
  if (!visibility.canAssign(doc)) throw forbidden('FORBIDDEN', '无权分配该线索');
  const owner = await assignableOwner(ownerId, viewer);
  await writeAssignment(doc, owner, viewer, new Date());
  return viewOf(id);
}

/** 批量分配: the leads the viewer may assign go to `ownerId`; the answer says how many changed. */
export async function bulkAssignLeads(ids: string[], ownerId: string, viewer: StaffPrincipal): Promise<LeadBulkAssignResult> {
  const owner = await assignableOwner(ownerId, viewer);
  const unique = [...new Set(ids)];
  const [docs, visibility] = await Promise.all([Lead.find({ _id: { $in: unique } }).lean<LeadDoc[]>(), leadVisibility(viewer)]);
  const assignable = docs.filter((doc) => visibility.canSee(doc) && visibility.canAssign(doc));
  const found = new Set(assignable.map((doc) => String(doc._id)));
  const now = new Date();
  let changed = 0;
  for (const doc of assignable) {
    if (doc.ownerId === ownerId) continue;
    await writeAssignment(doc, owner, viewer, now);
    changed += 1;
  }
  return { changed, unchanged: assignable.length - changed, notFound: unique.filter((id) => !found.has(id)) };
}

/** 协作分配: the colleagues the lead is shared with (active sales or managers), replacing the list. */
export async function setLeadCollaborators(id: string, staffIds: string[], viewer: StaffPrincipal): Promise<LeadView> {
  const { doc, visibility } = await visibleLead(id, viewer);
  if (!visibility.canShare(doc)) throw forbidden('FORBIDDEN', '只有负责人、经理和管理员可以设置协作人');
  const wanted = [...new Set(staffIds)].filter((staffId) => staffId !== doc.ownerId);
  for (const staffId of wanted) {
    const staff = await findStaffProfile(staffId);
    if (!staff || !staff.active || (staff.role !== 'sales' && staff.role !== 'manager')) {
      throw badRequest('INVALID_COLLABORATOR', '协作人只能是在职的销售人员或经理');
    }
  }
  const before = new Set(doc.collaboratorIds ?? []);
  const leadId = String(doc._id);
  // The per-person rows first (what lists read), then the lead's own copy.
  for (const staffId of wanted.filter((s) => !before.has(s))) {
    try {
      await LeadCollaborator.create({ _id: leadCollaboratorId(leadId, staffId), leadId, staffId, at: new Date() });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  const removed = [...before].filter((staffId) => !wanted.includes(staffId));
  if (removed.length > 0) await LeadCollaborator.deleteMany({ _id: { $in: removed.map((staffId) => leadCollaboratorId(leadId, staffId)) } });
  await Lead.updateOne({ _id: doc._id }, { $set: { collaboratorIds: wanted } });
  return viewOf(leadId);
}

/** Who a lead may be shared with (协作人 picker): active sales and managers, by name. */
export async function leadColleagues(): Promise<Array<{ id: string; name: string }>> {
  const staff = await staffByIds(await activeStaffIdsWithRoles(['sales', 'manager']));
  return [...staff.values()].map((member) => ({ id: member.id, name: member.name })).sort((a, b) => a.name.localeCompare(b.name, 'zh'));
}
