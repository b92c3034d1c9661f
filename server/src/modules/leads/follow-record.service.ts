// Follow-up records (跟进记录) on leads and customers: writing one (which moves the lead along or
// restarts the customer's pool clock, and sets the target's due follow-up), a target's timeline,
// and the due follow-ups of the workbench (follow-record.due-list.ts: the latest record of each
// lead/customer the viewer works, with a next date by today's end).
import type { FollowRecordInput, FollowRecordListQuery, FollowRecordPage, FollowRecordView } from '@qiao/shared';
import { isQueryFlagOn } from '@qiao/shared';
import mongoose from 'mongoose';
import { badRequest, conflict, notFound } from '../../errors.js';
import { chinaDate, chinaDayStart } from '../../lib/china-time.js';
import { isObjectIdString } from '../../lib/db.js';
import { newestFirstPage, NEWEST_FIRST } from '../../lib/key-pages.js';
import { flatFilter, paged, skipOf } from '../../lib/query.js';
import { customerOwnerCard, type CustomerOwnerCard } from '../customers/customer360.reads.js';
import { noteCustomerFollowUp } from '../customers/pool-clock.service.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { customerVisibility, type CustomerVisibility } from '../customers/customer-visibility.js';
import { readDue, recordsOfDue } from './follow-record.due-list.js';
import { syncFollowDues } from './follow-record.dues.js';
import { FollowRecord, type FollowRecordDoc } from './follow-record.model.js';
import { toViews } from './follow-record.views.js';
import { leadVisibility, type LeadVisibility } from './lead-visibility.js';
import { Lead, type LeadDoc } from './lead.model.js';

type Filter = Record<string, unknown>;

const leadNotFound = () => notFound('LEAD_NOT_FOUND', '线索不存在');
const customerNotFound = () => notFound('CUSTOMER_NOT_FOUND', '客户不存在或已被删除');

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
  // The target's due follow-up is now this record's next date (or none).
  await syncFollowDues([input.target === 'lead' ? { target: 'lead', id: input.leadId! } : { target: 'customer', id: input.customerId! }]);
  const saved = await FollowRecord.findById(doc._id).lean<FollowRecordDoc>();
  return (await toViews([saved ?? doc]))[0]!;
}

// ---- reading ----

/** A target's timeline, or the viewer's own records (`mine`), or the due ones (`due`); newest first. */
export async function listFollowRecords(viewer: StaffPrincipal, query: FollowRecordListQuery, now = new Date()): Promise<FollowRecordPage> {
  if (isQueryFlagOn(query.due)) {
    // Paged by number (no cursor): each source reads its first skip + pageSize rows.
    const due = await readDue(viewer, now, { skip: skipOf(query), limit: query.pageSize, mine: isQueryFlagOn(query.mine) });
    return { ...paged(await toViews(await recordsOfDue(due.rows)), due.total, query), nextCursor: null };
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

// ---- due follow-ups (the workbench; follow-record.due-list.ts) ----

/** How many follow-ups are due for the viewer by the end of today (China time). */
export async function countDueFollowRecords(viewer: StaffPrincipal, now: Date): Promise<number> {
  return (await readDue(viewer, now, { skip: 0, limit: 0 })).total;
}

/** The viewer's due follow-ups, oldest next date first, at most `limit`. */
export async function listDueFollowRecords(viewer: StaffPrincipal, now: Date, limit: number): Promise<FollowRecordView[]> {
  const { rows } = await readDue(viewer, now, { skip: 0, limit, count: false });
  return toViews(await recordsOfDue(rows));
}
