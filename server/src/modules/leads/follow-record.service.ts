// Follow-up records (跟进记录) on leads and customers: writing one (which moves the lead along or
// restarts the customer's pool clock), a target's timeline, and the due follow-ups of the workbench
// (the latest record of each lead/customer the viewer works, with a next date by today's end).
import type { FollowRecordInput, FollowRecordListQuery, FollowRecordView, Paged } from '@qiao/shared';
import { isQueryFlagOn } from '@qiao/shared';
import mongoose from 'mongoose';
import { badRequest, conflict, notFound } from '../../errors.js';
import { chinaDate, chinaDayStart, DAY_MS } from '../../lib/china-time.js';
import { isObjectIdString } from '../../lib/db.js';
import { flatFilter, paged, skipOf } from '../../lib/query.js';
import { customerIdsOfSalesperson, customerOwnerCard, customerOwnerCards, type CustomerOwnerCard } from '../customers/customer360.reads.js';
import { noteCustomerFollowUp } from '../customers/pool-clock.service.js';
import { staffByIds } from '../identity/lookup.service.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { departmentScopeIds, filterFor, idsInclude } from '../org/scope.js';
import { FollowRecord, type FollowRecordDoc } from './follow-record.model.js';
import { Lead, type LeadDoc } from './lead.model.js';

type Filter = Record<string, unknown>;

/** Leads still being worked: a closed or converted lead has no follow-ups due. */
const OPEN_LEAD_STATUSES = ['new', 'assigned', 'following'] as const;
/** Most due candidates a manager's or admin's list looks at (oldest next dates first). */
const DUE_SCAN_CAP = 2000;
/** Ids per `$in` (one SQL IN list each). */
const IN_CHUNK = 500;

const leadNotFound = () => notFound('LEAD_NOT_FOUND', '线索不存在');
const customerNotFound = () => notFound('CUSTOMER_NOT_FOUND', '客户不存在或已被删除');

/** The end of the China calendar day of `now`: what "due today" means. */
export const endOfChinaDay = (now: Date) => new Date(chinaDayStart(chinaDate(now)).getTime() + DAY_MS);

function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---- who may see / write on which target (the data-permission rule of the sales side) ----

type LeadCard = Pick<LeadDoc, '_id' | 'company' | 'name' | 'status' | 'ownerId' | 'collaboratorIds' | 'department'>;
const LEAD_CARD = { company: 1, name: 1, status: 1, ownerId: 1, collaboratorIds: 1, department: 1 } as const;

const worksOn = (viewer: StaffPrincipal, doc: { ownerId?: string | null; collaboratorIds?: string[] | null }) =>
  doc.ownerId === viewer.staffId || (doc.collaboratorIds ?? []).includes(viewer.staffId);

/** Whether the viewer may see (and follow up) a lead: admin all, manager subtree, sales own/shared. */
async function maySeeLead(viewer: StaffPrincipal, lead: LeadCard, scope?: string[] | null): Promise<boolean> {
  if (viewer.role === 'admin') return true;
  if (viewer.role === 'sales') return worksOn(viewer, lead);
  if (viewer.role === 'manager') return idsInclude(scope === undefined ? await departmentScopeIds(viewer) : scope, lead.department);
  return false;
}

/** Whether the viewer may follow up a customer: admin all, manager subtree, sales own/shared (not the pool). */
async function mayWorkCustomer(viewer: StaffPrincipal, card: CustomerOwnerCard, scope?: string[] | null): Promise<boolean> {
  if (viewer.role === 'admin') return true;
  if (viewer.role === 'sales') return worksOn(viewer, card);
  if (viewer.role === 'manager') return idsInclude(scope === undefined ? await departmentScopeIds(viewer) : scope, card.department);
  return false;
}

/** A lead name for lists: the company, else the person. */
const leadName = (lead: Pick<LeadDoc, 'company' | 'name'>) => (lead.company ? `${lead.company}（${lead.name}）` : lead.name);

// ---- views ----

async function toViews(docs: FollowRecordDoc[]): Promise<FollowRecordView[]> {
  const leadIds = [...new Set(docs.flatMap((doc) => (doc.leadId ? [doc.leadId] : [])))];
  const [authors, customers, leads] = await Promise.all([
    staffByIds(docs.map((doc) => doc.authorId)),
    customerOwnerCards(docs.map((doc) => doc.customerId)),
    leadIds.length > 0 ? Lead.find({ _id: { $in: leadIds } }, { company: 1, name: 1 }).lean<Array<Pick<LeadDoc, '_id' | 'company' | 'name'>>>() : [],
  ]);
  const leadNames = new Map(leads.map((lead) => [String(lead._id), leadName(lead)]));
  return docs.map((doc) => ({
    id: String(doc._id),
    target: doc.target as FollowRecordView['target'],
    leadId: doc.leadId ?? null,
    customerId: doc.customerId ?? null,
    targetName: doc.leadId ? (leadNames.get(doc.leadId) ?? '') : (customers.get(doc.customerId ?? '')?.name ?? ''),
    kind: doc.kind as FollowRecordView['kind'],
    note: doc.note,
    nextStep: doc.nextStep ?? '',
    nextAt: doc.nextAt ? doc.nextAt.toISOString() : null,
    authorId: doc.authorId,
    authorName: authors.get(doc.authorId)?.name ?? '',
    department: doc.department ?? '',
    createdAt: doc.createdAt.toISOString(),
    latest: doc.latest !== false,
  }));
}

// ---- writing ----

/** `nextAt` as typed: an instant, or a China calendar day (its start). */
function nextAtOf(value: string | null | undefined): Date | null {
  if (!value) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? chinaDayStart(value) : new Date(value);
}

/**
 * Older records of the target are no longer its latest. Only records older than this one are
 * touched, so two records written at once end with the newer one latest whatever order the two
 * updates run in (no compare-and-set needed).
 */
async function supersedeOlder(doc: FollowRecordDoc): Promise<void> {
  const target: Filter = doc.leadId ? { leadId: doc.leadId } : { customerId: doc.customerId };
  await FollowRecord.updateMany({ ...target, latest: true, createdAt: { $lt: doc.createdAt } }, { $set: { latest: false } });
  // Same millisecond: the id decides.
  await FollowRecord.updateMany({ ...target, latest: true, createdAt: doc.createdAt, _id: { $lt: doc._id } }, { $set: { latest: false } });
}

export async function createFollowRecord(viewer: StaffPrincipal, input: FollowRecordInput, now = new Date()): Promise<FollowRecordView> {
  const nextAt = nextAtOf(input.nextAt);
  let department = '';
  if (input.target === 'lead') {
    const lead = isObjectIdString(input.leadId) ? await Lead.findById(input.leadId, LEAD_CARD).lean<LeadCard>() : null;
    if (!lead || !(await maySeeLead(viewer, lead))) throw leadNotFound();
    if (lead.status === 'converted') throw conflict('LEAD_CLOSED', '线索已转化为客户，请在客户上记录跟进');
    if (lead.status === 'closed') throw conflict('LEAD_CLOSED', '线索已关闭，不能再记录跟进');
    department = lead.department ?? '';
  } else {
    const card = input.customerId ? await customerOwnerCard(input.customerId) : null;
    if (!card || !(await mayWorkCustomer(viewer, card))) throw customerNotFound();
    department = card.department;
  }
  if (nextAt && nextAt.getTime() < chinaDayStart(chinaDate(now)).getTime()) {
    throw badRequest('FOLLOW_NEXT_AT_PAST', '下次跟进时间不能早于今天');
  }
  const doc = (
    await FollowRecord.create({
      _id: new mongoose.Types.ObjectId(),
      target: input.target,
      leadId: input.target === 'lead' ? input.leadId : null,
      customerId: input.target === 'customer' ? input.customerId : null,
      kind: input.kind,
      note: input.note,
      nextStep: input.nextStep,
      nextAt,
      authorId: viewer.staffId,
      department,
      latest: true,
      createdAt: now,
    })
  ).toObject<FollowRecordDoc>();
  await supersedeOlder(doc);
  if (input.target === 'lead') {
    // The latest record's next date is the lead's; an assigned lead is now being followed.
    await Lead.updateOne({ _id: input.leadId }, { $set: { nextFollowUpAt: nextAt }, $max: { lastFollowUpAt: now } });
    await Lead.updateOne({ _id: input.leadId, status: 'assigned' }, { $set: { status: 'following' } });
  } else {
    await noteCustomerFollowUp(input.customerId!, now);
  }
  return (await toViews([doc]))[0]!;
}

// ---- reading ----

/** A target's timeline, or the viewer's own records (`mine`), or the due ones (`due`); newest first. */
export async function listFollowRecords(viewer: StaffPrincipal, query: FollowRecordListQuery, now = new Date()): Promise<Paged<FollowRecordView>> {
  if (isQueryFlagOn(query.due)) {
    const due = await dueRecords(viewer, now);
    const mine = isQueryFlagOn(query.mine) ? due.filter((doc) => doc.authorId === viewer.staffId) : due;
    const page = mine.slice(skipOf(query), skipOf(query) + query.pageSize);
    return paged(await toViews(page), mine.length, query);
  }
  const filter: Filter[] = [];
  if (query.leadId) {
    const lead = await Lead.findById(query.leadId, LEAD_CARD).lean<LeadCard>();
    if (!lead || !(await maySeeLead(viewer, lead))) throw leadNotFound();
    filter.push({ leadId: query.leadId });
  } else if (query.customerId) {
    const card = await customerOwnerCard(query.customerId);
    if (!card || !(await mayWorkCustomer(viewer, card))) throw customerNotFound();
    filter.push({ customerId: query.customerId });
  } else if (!isQueryFlagOn(query.mine)) {
    throw badRequest('FOLLOW_FILTER_REQUIRED', '请指定线索、客户，或只看我的跟进');
  }
  if (isQueryFlagOn(query.mine)) filter.push({ authorId: viewer.staffId });
  const where = flatFilter(...filter);
  const [docs, total] = await Promise.all([
    FollowRecord.find(where).sort({ createdAt: -1, _id: -1 }).skip(skipOf(query)).limit(query.pageSize).lean<FollowRecordDoc[]>(),
    FollowRecord.countDocuments(where),
  ]);
  return paged(await toViews(docs), total, query);
}

/** A target's latest records (the 360 view's section): at most `limit`, and how many there are. */
export async function followRecordsOfCustomer(customerId: string, limit: number): Promise<{ items: FollowRecordView[]; total: number }> {
  const [docs, total] = await Promise.all([
    FollowRecord.find({ customerId }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<FollowRecordDoc[]>(),
    FollowRecord.countDocuments({ customerId }),
  ]);
  return { items: await toViews(docs), total };
}

// ---- due follow-ups (the workbench) ----

async function openLeadIdsOf(staffId: string): Promise<string[]> {
  const open = { status: { $in: [...OPEN_LEAD_STATUSES] } };
  const [owned, shared] = await Promise.all([
    Lead.find({ ownerId: staffId, ...open }, { _id: 1 }).lean<Array<Pick<LeadDoc, '_id'>>>(),
    Lead.find({ collaboratorIds: staffId, ...open }, { _id: 1 }).lean<Array<Pick<LeadDoc, '_id'>>>(),
  ]);
  return [...new Set([...owned, ...shared].map((doc) => String(doc._id)))];
}

/** The latest records, due by `end`, on any of `ids` of `field`. */
async function dueOn(field: 'leadId' | 'customerId', ids: string[], end: Date): Promise<FollowRecordDoc[]> {
  const rows = await Promise.all(
    chunks(ids).map((part) => FollowRecord.find({ latest: true, nextAt: { $lte: end }, [field]: { $in: part } }).lean<FollowRecordDoc[]>()),
  );
  return rows.flat();
}

/**
 * The due records the viewer should act on, oldest next date first. Sales: the latest records of
 * their own and shared open leads and customers. Managers: of their subtree; admin: all — read by
 * the record's department, then checked against the target's current state (a lead closed or
 * converted since, a customer gone to the pool or to another department, drop out).
 */
async function dueRecords(viewer: StaffPrincipal, now: Date): Promise<FollowRecordDoc[]> {
  const end = endOfChinaDay(now);
  let candidates: FollowRecordDoc[];
  let scope: string[] | null = null;
  if (viewer.role === 'sales') {
    const [leadIds, customerIds] = await Promise.all([openLeadIdsOf(viewer.staffId), customerIdsOfSalesperson(viewer.staffId)]);
    const [onLeads, onCustomers] = await Promise.all([dueOn('leadId', leadIds, end), dueOn('customerId', customerIds, end)]);
    candidates = [...onLeads, ...onCustomers];
  } else if (viewer.role === 'manager' || viewer.role === 'admin') {
    scope = await departmentScopeIds(viewer);
    candidates = await FollowRecord.find(flatFilter({ latest: true, nextAt: { $lte: end } }, filterFor(scope)))
      .sort({ nextAt: 1 })
      .limit(DUE_SCAN_CAP)
      .lean<FollowRecordDoc[]>();
  } else {
    return [];
  }
  const leadIds = [...new Set(candidates.flatMap((doc) => (doc.leadId ? [doc.leadId] : [])))];
  const [leads, customers] = await Promise.all([
    leadIds.length > 0 ? Lead.find({ _id: { $in: leadIds } }, LEAD_CARD).lean<LeadCard[]>() : [],
    customerOwnerCards(candidates.map((doc) => doc.customerId)),
  ]);
  const leadById = new Map(leads.map((lead) => [String(lead._id), lead]));
  const kept: FollowRecordDoc[] = [];
  for (const doc of candidates) {
    if (doc.leadId) {
      const lead = leadById.get(doc.leadId);
      if (!lead || !(OPEN_LEAD_STATUSES as readonly string[]).includes(lead.status) || !(await maySeeLead(viewer, lead, scope))) continue;
    } else {
      const card = customers.get(doc.customerId ?? '');
      // A pool customer has nobody to follow it up until it is claimed.
      if (!card || card.ownerId === null || !(await mayWorkCustomer(viewer, card, scope))) continue;
    }
    kept.push(doc);
  }
  return kept.sort((a, b) => (a.nextAt?.getTime() ?? 0) - (b.nextAt?.getTime() ?? 0) || String(a._id).localeCompare(String(b._id)));
}

/** How many follow-ups are due for the viewer by the end of today (China time). */
export async function countDueFollowRecords(viewer: StaffPrincipal, now: Date): Promise<number> {
  return (await dueRecords(viewer, now)).length;
}

/** The viewer's due follow-ups, oldest next date first, at most `limit`. */
export async function listDueFollowRecords(viewer: StaffPrincipal, now: Date, limit: number): Promise<FollowRecordView[]> {
  return toViews((await dueRecords(viewer, now)).slice(0, limit));
}
