// 商机: the list (sales their own, managers their department subtree, admin all), detail, edits
// while open, and closing as won (赢单: the customer's deal clock restarts, exempting it from the
// pool return) or lost (输单, with a reason). Closing is final and happens once: of a 赢单 and a
// 输单 at the same moment one wins (a claim in lib/once.ts).
import type { Opportunity as OpportunityView, OpportunityCreate, OpportunityListQuery, OpportunityPage, OpportunityPatch, OpportunityStage } from '@qiao/shared';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { chinaDate, chinaDayStart } from '../../lib/china-time.js';
import { isObjectIdString } from '../../lib/db.js';
import { findOnce, takeOnce } from '../../lib/once.js';
import { newestFirstPage, NEWEST_FIRST } from '../../lib/key-pages.js';
import { flatFilter, paged } from '../../lib/query.js';
import { FEW_MATCHES, idsCondition, withinList } from '../../lib/search.js';
import { customerVisibility } from '../customers/customer-visibility.js';
import { customerForConversion } from '../customers/lead-conversion.js';
import { customerNames } from '../customers/lookup.service.js';
import { managesOwner, ownerCandidate } from '../customers/pool-rules.js';
import { noteCustomerDeal } from '../customers/pool-clock.service.js';
import { staffByIds } from '../identity/lookup.service.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { departmentFilter } from '../org/scope.js';
import { Opportunity, type OpportunityDoc } from './opportunity.model.js';
import { matchingOpportunityIds, refreshOpportunitySearch } from './lead.search.js';

const opportunityNotFound = () => notFound('OPPORTUNITY_NOT_FOUND', '商机不存在');
const opportunityClosed = () => conflict('OPPORTUNITY_CLOSED', '该商机已赢单或输单，不能再修改');
/** Claims of a closing are kept this long; after that the stage itself says it is closed. */
const CLOSE_CLAIM_KEEP_MS = 7 * 24 * 3600_000;

/** The opportunities the viewer may see as a filter; null: none. */
async function visibleTo(viewer: StaffPrincipal): Promise<Record<string, unknown> | null> {
  if (viewer.role === 'admin') return {};
  if (viewer.role === 'manager') return departmentFilter(viewer);
  if (viewer.role === 'sales') return { ownerId: viewer.staffId };
  return null;
}

async function toViews(docs: OpportunityDoc[]): Promise<OpportunityView[]> {
  const [owners, customers] = await Promise.all([staffByIds(docs.map((doc) => doc.ownerId)), customerNames(docs.map((doc) => doc.customerId))]);
  return docs.map((doc) => ({
    id: String(doc._id),
    name: doc.name,
    customerId: doc.customerId,
    customerName: customers.get(doc.customerId) ?? '',
    contactId: doc.contactId ?? null,
    leadId: doc.leadId ?? null,
    ownerId: doc.ownerId,
    ownerName: owners.get(doc.ownerId)?.name ?? null,
    department: doc.department ?? '',
    stage: doc.stage as OpportunityStage,
    amount: doc.amount ?? 0,
    expectedCloseAt: doc.expectedCloseAt ? chinaDate(new Date(doc.expectedCloseAt)) : null,
    source: doc.source ?? 'manual',
    campaignId: doc.campaignId ?? null,
    closedAt: doc.closedAt ? new Date(doc.closedAt).toISOString() : null,
    lostReason: doc.lostReason ?? '',
    createdAt: new Date(doc.createdAt).toISOString(),
    updatedAt: new Date(doc.updatedAt).toISOString(),
  }));
}

export async function listOpportunities(viewer: StaffPrincipal, query: OpportunityListQuery): Promise<OpportunityPage> {
  const scope = await visibleTo(viewer);
  if (!scope) return { ...paged([], 0, query), nextCursor: null };
  const mine = query.mine === '1' || query.mine === 'true';
  const wanted = {
    ...(query.stage ? { stage: query.stage } : {}),
    ...(query.customerId ? { customerId: query.customerId } : {}),
  };
  // Owner equalities each on their own, so that two different owners (a filter beside `mine` or a
  // salesperson's own scope) match nothing rather than one of them.
  const rest = flatFilter(scope, wanted, query.ownerId ? { ownerId: query.ownerId } : {}, mine ? { ownerId: viewer.staffId } : {});
  // A search: its matches by `_id` (name and customer keys, leads/lead.search.ts), the rest checked on them.
  const search = query.q ? await matchingOpportunityIds(query.q) : null;
  const filter = search ? withinList(idsCondition(search.ids), rest, search.ids.length <= FEW_MATCHES) : rest;
  const page = await newestFirstPage({
    sources: [filter],
    request: query,
    find: (where, skip, limit) => Opportunity.find(where).sort(NEWEST_FIRST).skip(skip).limit(limit).lean<OpportunityDoc[]>(),
    count: (where) => Opportunity.countDocuments(where),
  });
  return { ...paged(await toViews(page.rows), page.total, query), nextCursor: page.nextCursor, totalCapped: search?.capped ?? false };
}

async function visibleOpportunity(viewer: StaffPrincipal, id: string): Promise<OpportunityDoc> {
  const scope = await visibleTo(viewer);
  const doc = scope && isObjectIdString(id) ? await Opportunity.findOne(flatFilter({ _id: id }, scope)).lean<OpportunityDoc>() : null;
  if (!doc) throw opportunityNotFound();
  return doc;
}

const viewOf = async (id: string) => (await toViews([(await Opportunity.findById(id).lean<OpportunityDoc>())!]))[0]!;

export async function getOpportunity(viewer: StaffPrincipal, id: string): Promise<OpportunityView> {
  return (await toViews([await visibleOpportunity(viewer, id)]))[0]!;
}

export async function updateOpportunity(viewer: StaffPrincipal, id: string, patch: OpportunityPatch): Promise<OpportunityView> {
  const doc = await visibleOpportunity(viewer, id);
  if (doc.stage !== 'open') throw opportunityClosed();
  const set = {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.amount !== undefined ? { amount: patch.amount } : {}),
    ...(patch.expectedCloseAt !== undefined ? { expectedCloseAt: patch.expectedCloseAt ? chinaDayStart(patch.expectedCloseAt) : null } : {}),
  };
  if (Object.keys(set).length > 0) await Opportunity.updateOne({ _id: doc._id }, { $set: set });
  if (set.name !== undefined) await refreshOpportunitySearch([id]);
  return viewOf(id);
}

interface Closing {
  stage: 'won' | 'lost';
  reason: string;
  at: string;
}

/**
 * Won or lost, once. The claim carries the closing, so a retry of the same closing cut short by
 * a crash (claim taken, stage not yet written) finishes it; any other closing is refused.
 */
async function closeOpportunity(viewer: StaffPrincipal, id: string, stage: 'won' | 'lost', reason: string, now: Date): Promise<OpportunityView> {
  const doc = await visibleOpportunity(viewer, id);
  if (doc.stage !== 'open') throw opportunityClosed();
  const key = `opportunity-close:${id}`;
  let closing: Closing = { stage, reason, at: now.toISOString() };
  if (!(await takeOnce(key, { keepMs: CLOSE_CLAIM_KEEP_MS, data: { ...closing }, now }))) {
    const held = (await findOnce(key))?.data as Closing | null | undefined;
    if (!held || held.stage !== stage) throw opportunityClosed();
    closing = held;
  }
  const at = new Date(closing.at);
  await Opportunity.updateOne({ _id: doc._id }, { $set: { stage: closing.stage, closedAt: at, lostReason: closing.stage === 'lost' ? closing.reason : '' } });
  // A deal restarts the customer's pool clock (idempotent: the later time wins).
  if (closing.stage === 'won') await noteCustomerDeal(doc.customerId, at);
  return viewOf(id);
}

export const markOpportunityWon = (viewer: StaffPrincipal, id: string, now = new Date()) => closeOpportunity(viewer, id, 'won', '', now);
export const markOpportunityLost = (viewer: StaffPrincipal, id: string, reason: string, now = new Date()) => closeOpportunity(viewer, id, 'lost', reason, now);

/** A customer's opportunities, newest first (for the customer 360 view). */
export async function opportunitiesOfCustomer(customerId: string, limit = 50): Promise<OpportunityView[]> {
  if (!isObjectIdString(customerId)) return [];
  return toViews(await Opportunity.find({ customerId }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<OpportunityDoc[]>());
}

/** Who is in charge of a new opportunity: the caller, or (managers, admin) a salesperson they manage. */
async function ownerOfNew(viewer: StaffPrincipal, named: string | undefined, customerOwnerId: string | null): Promise<{ id: string; department: string }> {
  const wanted = named ?? (viewer.role === 'admin' ? customerOwnerId : viewer.staffId);
  if (!wanted) throw badRequest('OWNER_REQUIRED', '该客户在公海中，请指定商机负责人');
  if (viewer.role === 'sales' && wanted !== viewer.staffId) throw forbidden('OWNER_NOT_ALLOWED', '销售人员只能新建自己负责的商机');
  const owner = await ownerCandidate(wanted);
  if (wanted !== viewer.staffId && !(await managesOwner(viewer, owner))) throw forbidden('OWNER_OUT_OF_SCOPE', '只能指定您所在部门或其下级部门的人员');
  return { id: owner.id, department: owner.department };
}

/** 新建商机: on a customer the caller may see (sales: their own or shared; managers: their subtree; admin: all). */
export async function createOpportunity(viewer: StaffPrincipal, input: OpportunityCreate, now = new Date()): Promise<OpportunityView> {
  const customer = await customerForConversion(input.customerId);
  if (!customer || !(await customerVisibility(viewer)).canSee(customer)) throw notFound('CUSTOMER_NOT_FOUND', '客户不存在或已被删除');
  const owner = await ownerOfNew(viewer, input.ownerId, customer.ownerId);
  const closed = input.stage !== 'open';
  const doc = await Opportunity.create({
    name: input.name,
    customerId: customer.id,
    contactId: null,
    leadId: null,
    ownerId: owner.id,
    department: owner.department,
    stage: input.stage,
    amount: input.amount,
    expectedCloseAt: input.expectedCloseAt ? chinaDayStart(input.expectedCloseAt) : null,
    source: 'manual',
    closedAt: closed ? now : null,
    lostReason: input.stage === 'lost' ? input.lostReason : '',
  });
  // Entered as won: a deal like any other (the customer's pool clock restarts).
  if (input.stage === 'won') await noteCustomerDeal(customer.id, now);
  return viewOf(String(doc._id));
}
