// Follow-up records (跟进记录) on leads and customers: writing one (which moves the lead along or
// restarts the customer's pool clock), a target's timeline, and the due follow-ups of the workbench
// (the latest record of each lead/customer the viewer works, with a next date by today's end).
import type { FollowRecordInput, FollowRecordListQuery, FollowRecordPage, FollowRecordView } from '@qiao/shared';
import { isQueryFlagOn } from '@qiao/shared';
import mongoose from 'mongoose';
import { badRequest, conflict, notFound } from '../../errors.js';
import { chinaDate, chinaDayStart, DAY_MS } from '../../lib/china-time.js';
import { isObjectIdString } from '../../lib/db.js';
import { newestFirstPage, NEWEST_FIRST } from '../../lib/key-pages.js';
import { flatFilter, paged, skipOf } from '../../lib/query.js';
import { customerIdsWhere, customerOwnerCard, customerOwnerCards, type CustomerOwnerCard } from '../customers/customer360.reads.js';
import { noteCustomerFollowUp } from '../customers/pool-clock.service.js';
import { staffByIds } from '../identity/lookup.service.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { customerVisibility, type CustomerVisibility } from '../customers/customer-visibility.js';
import { departmentScopeIds, filterFor } from '../org/scope.js';
import { FollowRecord, type FollowRecordDoc } from './follow-record.model.js';
import { leadVisibility, ownOrSharedSources, type LeadVisibility } from './lead-visibility.js';
import { Lead, type LeadDoc } from './lead.model.js';

type Filter = Record<string, unknown>;

/** Leads still being worked: a closed or converted lead has no follow-ups due. */
const OPEN_LEAD_STATUSES = ['new', 'assigned', 'following'] as const;
/** Most due candidates a manager's or admin's list looks at (oldest next dates first). */
const DUE_SCAN_CAP = 2000;
/** Before every next date: the lower bound that makes `nextAt < end` a two-sided, indexed range. */
const EPOCH = new Date(0);
/** Ids per `$in` (one SQL IN list each). */
const IN_CHUNK = 500;

const leadNotFound = () => notFound('LEAD_NOT_FOUND', '线索不存在');
const customerNotFound = () => notFound('CUSTOMER_NOT_FOUND', '客户不存在或已被删除');

/** The end of the China calendar day of `now` (the next day's start, exclusive): what "due today" means. */
export const endOfChinaDay = (now: Date) => new Date(chinaDayStart(chinaDate(now)).getTime() + DAY_MS);

function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

// ---- who may see / write on which target (the data-permission rule of the sales side) ----
// Leads: the lead visibility rule (sales own/shared, managers their subtree, admin all); writing a
// record is working the lead (`canEdit`). Customers: the customer visibility rule — a pool customer
// is nobody's to follow up but a manager's or admin's (sales claim it first).

type LeadCard = Pick<LeadDoc, '_id' | 'company' | 'name' | 'status' | 'ownerId' | 'collaboratorIds' | 'department' | 'source'>;
const LEAD_CARD = { company: 1, name: 1, status: 1, ownerId: 1, collaboratorIds: 1, department: 1, source: 1 } as const;

/** The rules of one viewer, read once per request. */
interface Access {
  lead: LeadVisibility;
  customer: CustomerVisibility;
}

async function accessOf(viewer: StaffPrincipal): Promise<Access> {
  // Single records are checked against the rules; no list condition is read.
  const [lead, customer] = await Promise.all([leadVisibility(viewer, { filter: false }), customerVisibility(viewer)]);
  return { lead, customer };
}

const mayWorkCustomer = (access: Access, card: CustomerOwnerCard) => access.customer.canSee(card);

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
 * Keeps one latest record per target without a compare-and-set: each writer, after its insert,
 * clears `latest` on the records older than its own, then on its own if a newer one exists. For
 * any two records, either the newer writer's first step runs after the older insert (and clears
 * it), or the older insert came after it — and then the older writer's second step sees the newer
 * one. Only `false` is ever written, so the newest record alone stays latest.
 */
async function settleLatest(doc: FollowRecordDoc): Promise<void> {
  const target: Filter = doc.leadId ? { leadId: doc.leadId } : { customerId: doc.customerId };
  await FollowRecord.updateMany({ ...target, latest: true, createdAt: { $lt: doc.createdAt } }, { $set: { latest: false } });
  // Same millisecond: the id decides.
  await FollowRecord.updateMany({ ...target, latest: true, createdAt: doc.createdAt, _id: { $lt: doc._id } }, { $set: { latest: false } });
  const newer =
    (await FollowRecord.exists({ ...target, createdAt: { $gt: doc.createdAt } })) ??
    (await FollowRecord.exists({ ...target, createdAt: doc.createdAt, _id: { $gt: doc._id } }));
  if (newer) await FollowRecord.updateOne({ _id: doc._id }, { $set: { latest: false } });
}

/** The target's newest record (the one whose next date counts). */
async function newestRecord(target: Filter): Promise<FollowRecordDoc | null> {
  return FollowRecord.findOne(target).sort({ createdAt: -1, _id: -1 }).lean<FollowRecordDoc>();
}

export async function createFollowRecord(viewer: StaffPrincipal, input: FollowRecordInput, now = new Date()): Promise<FollowRecordView> {
  const nextAt = nextAtOf(input.nextAt);
  let department = '';
  const access = await accessOf(viewer);
  if (input.target === 'lead') {
    const lead = isObjectIdString(input.leadId) ? await Lead.findById(input.leadId, LEAD_CARD).lean<LeadCard>() : null;
    if (!lead || !access.lead.canEdit(lead)) throw leadNotFound();
    if (lead.status === 'converted') throw conflict('LEAD_CLOSED', '线索已转化为客户，请在客户上记录跟进');
    if (lead.status === 'closed') throw conflict('LEAD_CLOSED', '线索已关闭，不能再记录跟进');
    department = lead.department ?? '';
  } else {
    const card = input.customerId ? await customerOwnerCard(input.customerId) : null;
    if (!card || !mayWorkCustomer(access, card)) throw customerNotFound();
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
  await settleLatest(doc);
  if (input.target === 'lead') {
    // The newest record's next date is the lead's (read back: a concurrent writer may be newer);
    // an assigned lead is now being followed.
    const newest = await newestRecord({ leadId: input.leadId });
    await Lead.updateOne({ _id: input.leadId }, { $set: { nextFollowUpAt: newest?.nextAt ?? nextAt }, $max: { lastFollowUpAt: now } });
    await Lead.updateOne({ _id: input.leadId, status: 'assigned' }, { $set: { status: 'following' } });
  } else {
    await noteCustomerFollowUp(input.customerId!, now);
  }
  const saved = await FollowRecord.findById(doc._id).lean<FollowRecordDoc>();
  return (await toViews([saved ?? doc]))[0]!;
}

// ---- reading ----

/** A target's timeline, or the viewer's own records (`mine`), or the due ones (`due`); newest first. */
export async function listFollowRecords(viewer: StaffPrincipal, query: FollowRecordListQuery, now = new Date()): Promise<FollowRecordPage> {
  if (isQueryFlagOn(query.due)) {
    // A bounded set (dueRecords: a salesperson's open targets, at most DUE_SCAN_CAP for managers),
    // paged in memory; no cursor.
    const due = await dueRecords(viewer, now);
    const mine = isQueryFlagOn(query.mine) ? due.filter((doc) => doc.authorId === viewer.staffId) : due;
    const page = mine.slice(skipOf(query), skipOf(query) + query.pageSize);
    return { ...paged(await toViews(page), mine.length, query), nextCursor: null };
  }
  const filter: Filter[] = [];
  const access = query.leadId || query.customerId ? await accessOf(viewer) : null;
  if (query.leadId && access) {
    const lead = await Lead.findById(query.leadId, LEAD_CARD).lean<LeadCard>();
    if (!lead || !access.lead.canSee(lead)) throw leadNotFound();
    filter.push({ leadId: query.leadId });
  } else if (query.customerId && access) {
    const card = await customerOwnerCard(query.customerId);
    // A salesperson may look at a pool customer's history (as on its 360 view) to decide a claim.
    const looking = viewer.role === 'sales' && card?.ownerId === null;
    if (!card || !(mayWorkCustomer(access, card) || looking)) throw customerNotFound();
    filter.push({ customerId: query.customerId });
  } else if (!isQueryFlagOn(query.mine)) {
    throw badRequest('FOLLOW_FILTER_REQUIRED', '请指定线索、客户，或只看我的跟进');
  }
  if (isQueryFlagOn(query.mine)) filter.push({ authorId: viewer.staffId });
  // Paged by key (createdAt, ties by _id): a long timeline's deep pages read no growing skip.
  const page = await newestFirstPage({
    sources: [flatFilter(...filter)],
    request: query,
    find: (where, skip, limit) => FollowRecord.find(where).sort(NEWEST_FIRST).skip(skip).limit(limit).lean<FollowRecordDoc[]>(),
    count: (where) => FollowRecord.countDocuments(where),
  });
  return { ...paged(await toViews(page.rows), page.total, query), nextCursor: page.nextCursor };
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

/** The open leads a salesperson owns or shares (the owner by its index, shared ones by id). */
async function openLeadIdsOf(staffId: string): Promise<string[]> {
  const open = { status: { $in: [...OPEN_LEAD_STATUSES] } };
  const parts = await Promise.all(
    (await ownOrSharedSources(staffId)).map((source) => Lead.find(flatFilter(source, open), { _id: 1 }).lean<Array<Pick<LeadDoc, '_id'>>>()),
  );
  return [...new Set(parts.flat().map((doc) => String(doc._id)))];
}

/** The latest records, due by `end`, on any of `ids` of `field`. */
async function dueOn(field: 'leadId' | 'customerId', ids: string[], end: Date): Promise<FollowRecordDoc[]> {
  const rows = await Promise.all(
    // Read by the targets' index (`latest` and `nextAt` checked on their records): given the equality
    // and range beside the `$in`, SQLite would walk every due record of everyone instead.
    chunks(ids).map((part) => FollowRecord.find({ [field]: { $in: part }, $and: [{ latest: true, nextAt: { $lt: end } }] }).lean<FollowRecordDoc[]>()),
  );
  return rows.flat();
}

/**
 * The due records the viewer should act on, oldest next date first. Sales: the latest records of
 * their own and shared open leads and customers. Managers: of their subtree; admin: all — read by
 * the record's department, then checked against the target's current state (a lead closed or
 * converted since, a customer gone to the pool or to another department, drop out).
 */
async function readDueRecords(viewer: StaffPrincipal, now: Date): Promise<FollowRecordDoc[]> {
  const end = endOfChinaDay(now);
  const access = await accessOf(viewer);
  let candidates: FollowRecordDoc[];
  if (viewer.role === 'sales') {
    const [leadIds, customerIds] = await Promise.all([openLeadIdsOf(viewer.staffId), access.customer.filter ? customerIdsWhere(access.customer.filter) : []]);
    const [onLeads, onCustomers] = await Promise.all([dueOn('leadId', leadIds, end), dueOn('customerId', customerIds, end)]);
    candidates = [...onLeads, ...onCustomers];
  } else if (viewer.role === 'manager' || viewer.role === 'admin') {
    // Read by the record's department (leads without one are the manager's intake too), checked below.
    const scope = await departmentScopeIds(viewer);
    // A two-sided range on `nextAt` (a lone `$lt` is a full scan on the embedded database).
    candidates = await FollowRecord.find(flatFilter({ latest: true, nextAt: { $gt: EPOCH, $lt: end } }, filterFor(scope && [...new Set([...scope, ''])])))
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
      if (!lead || !(OPEN_LEAD_STATUSES as readonly string[]).includes(lead.status) || !access.lead.canSee(lead)) continue;
    } else {
      const card = customers.get(doc.customerId ?? '');
      // A pool customer has nobody to follow it up until it is claimed.
      if (!card || card.ownerId === null || !mayWorkCustomer(access, card)) continue;
    }
    kept.push(doc);
  }
  return kept.sort((a, b) => (a.nextAt?.getTime() ?? 0) - (b.nextAt?.getTime() ?? 0) || String(a._id).localeCompare(String(b._id)));
}

/** How many follow-ups are due for the viewer by the end of today (China time). */
/**
 * The workbench counts the due records (a card) and lists them (a list) for one request, with one
 * `now`: they are read once per viewer and `now` (kept as long as that `now` is).
 */
const dueByRequest = new WeakMap<Date, Map<string, Promise<FollowRecordDoc[]>>>();

function dueRecords(viewer: StaffPrincipal, now: Date): Promise<FollowRecordDoc[]> {
  const byViewer = dueByRequest.get(now) ?? new Map<string, Promise<FollowRecordDoc[]>>();
  dueByRequest.set(now, byViewer);
  const key = `${viewer.staffId}:${viewer.role}`;
  let read = byViewer.get(key);
  if (!read) {
    read = readDueRecords(viewer, now);
    byViewer.set(key, read);
    // A failed read is not kept: the next caller reads again.
    read.catch(() => byViewer.delete(key));
  }
  return read;
}

export async function countDueFollowRecords(viewer: StaffPrincipal, now: Date): Promise<number> {
  return (await dueRecords(viewer, now)).length;
}

/** The viewer's due follow-ups, oldest next date first, at most `limit`. */
export async function listDueFollowRecords(viewer: StaffPrincipal, now: Date, limit: number): Promise<FollowRecordView[]> {
  return toViews((await dueRecords(viewer, now)).slice(0, limit));
}
