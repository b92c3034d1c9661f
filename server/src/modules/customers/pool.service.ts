// The public pool (客户公海) and the moves of ownership: claim (申领), release (放回公海), transfer
// (转交), bulk reassignment (批量转移) and lock (锁定). Every move writes the owner fields, moves the
// customer (contacts, devices, requests) to the new owner's department and records an event.
//
// "Only one" without compare-and-set (FerretDB): leaving the pool at generation g is decided by
// the claim `pool-claim:<customerId>:<g>` and entering it by `pool-enter:<customerId>:<g+1>`,
// each an insert with a unique `_id` (lib/once.ts) — of parallel claims exactly one wins.
import { maskPhone, type Customer as CustomerView, type Paged, type PoolCustomer, type PoolOwner, type PoolListQuery, type PoolQuota, type ReassignInput, type ReassignResult, type TransferInput } from '@qiao/shared';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { claimLease, finishLease, releaseLease } from '../../lib/once.js';
import { cappedCount, flatFilter, paged, skipOf } from '../../lib/query.js';
import { FEW_MATCHES, idsCondition, withinList } from '../../lib/search.js';
import { findStaffProfile, listActiveStaffOfRole, staffByIds } from '../identity/lookup.service.js';
import { departmentNames } from '../org/department.service.js';
import { departmentFilter } from '../org/scope.js';
import { moveCustomerRequests } from '../service/request-department.js';
import { moveCustomerContacts } from './contact.service.js';
import { customerVisibility, type CustomerViewer } from './customer-visibility.js';
import { Customer, type CustomerDoc } from './customer.model.js';
import { customerView, findCustomerDoc } from './customer.service.js';
import { withPoolClocks } from './pool-clock.service.js';
import { recordOwnershipEvent, setCustomerCollaborators } from './ownership.service.js';
import { assertBelowCap, capReached, countOwned, holdCap, limitsOf, managesOwner, ownerCandidate, type OwnerCandidate } from './pool-rules.js';
import { moveCustomerProducts } from './product-archive.service.js';
import { matchingCustomerIds } from './search.service.js';

const DAY_MS = 24 * 3600_000;
/** A move takes well under a second; a claimer that died is taken over after this. */
const MOVE_LEASE_MS = 30_000;
const MOVE_KEEP_MS = 30 * DAY_MS;

const customerNotFound = () => notFound('CUSTOMER_NOT_FOUND', '客户不存在或已被删除');
const alreadyClaimed = () => conflict('CUSTOMER_ALREADY_CLAIMED', '该客户已被他人申领');
const inPool = () => conflict('CUSTOMER_IN_POOL', '该客户已在公海中');
const ownerOnly = () => forbidden('CUSTOMER_OWNER_ONLY', '只有专管业务员或销售经理可以操作该客户');

const generationOf = (doc: Pick<CustomerDoc, 'poolGeneration'>) => doc.poolGeneration ?? 0;

/** Runs `work` only if this call wins `key`; false when someone else holds or finished it. */
async function exclusively<T>(key: string, work: () => Promise<T>, now: Date): Promise<{ won: true; value: T } | { won: false }> {
  const attempt = await claimLease(key, { leaseMs: MOVE_LEASE_MS, keepMs: MOVE_KEEP_MS, now });
  if (attempt.kind !== 'mine') return { won: false };
  try {
    const value = await work();
    await finishLease(attempt.claim);
    return { won: true, value };
  } catch (error) {
    await releaseLease(attempt.claim);
    throw error;
  }
}

/** The customer follows its (new) department: contacts, devices, requests and their follow-ups. */
async function followDepartment(doc: CustomerDoc, department: string): Promise<void> {
  if (department === (doc.department ?? '')) return;
  await moveCustomerRequests(String(doc._id), department);
  await Promise.all([moveCustomerContacts(doc._id, department), moveCustomerProducts(doc._id, department)]);
}

interface Move {
  kind: 'claim' | 'transfer' | 'reassign' | 'convert' | 'import';
  reason: string;
  byStaffId: string | null;
  now: Date;
  eventKey: string;
}

/**
 * Gives the customer to `owner` (from the pool or from another owner) within their cap (0 = none):
 * the owner fields first, counted again (holdCap) and put back as they were when parallel moves to
 * the same person went past the cap — before anything else of the move is written.
 */
async function giveTo(doc: CustomerDoc, owner: OwnerCandidate, move: Move, maxOwned: number, whose?: string): Promise<void> {
  const department = owner.department;
  await Customer.updateOne(
    { _id: doc._id },
    {
      $set: {
        ownerId: owner.id,
        ownerSince: move.now,
        department,
        poolReminderAt: null,
        ...(doc.ownerId ? { lastOwnerId: doc.ownerId } : {}),
      },
    },
  );
  const asBefore = { ownerId: doc.ownerId ?? null, ownerSince: doc.ownerSince ?? null, department: doc.department ?? '', poolReminderAt: doc.poolReminderAt ?? null, lastOwnerId: doc.lastOwnerId ?? null };
  await holdCap(owner.id, maxOwned, () => Customer.updateOne({ _id: doc._id }, { $set: asBefore }), whose);
  await followDepartment(doc, department);
  // The new owner no longer needs to be a collaborator.
  const collaborators = doc.collaboratorIds ?? [];
  if (collaborators.includes(owner.id)) await setCustomerCollaborators(String(doc._id), collaborators.filter((id) => id !== owner.id));
  await recordOwnershipEvent({
    customerId: String(doc._id),
    kind: move.kind,
    fromOwnerId: doc.ownerId ?? null,
    toOwnerId: owner.id,
    reason: move.reason,
    byStaffId: move.byStaffId,
    department,
    at: move.now,
    key: move.eventKey,
  });
}

/**
 * Puts an owned customer back into the pool (release, or the daily return) — once per generation.
 * Returns false when it was already put back.
 */
export async function putInPool(doc: CustomerDoc, kind: 'release' | 'return', reason: string, byStaffId: string | null, now: Date): Promise<boolean> {
  const next = generationOf(doc) + 1;
  const key = `pool-enter:${String(doc._id)}:${next}`;
  const result = await exclusively(
    key,
    async () => {
      const current = await findCustomerDoc(String(doc._id));
      if (!current.ownerId || generationOf(current) !== generationOf(doc)) return false;
      await Customer.updateOne(
        { _id: doc._id },
        { $set: { ownerId: null, ownerSince: null, poolReminderAt: null, poolEnteredAt: now, lastOwnerId: current.ownerId, poolGeneration: next } },
      );
      await recordOwnershipEvent({
        customerId: String(doc._id),
        kind,
        fromOwnerId: current.ownerId,
        toOwnerId: null,
        reason,
        byStaffId,
        department: current.department ?? '',
        at: now,
        key,
      });
      return true;
    },
    now,
  );
  return result.won && result.value;
}

/**
 * Takes a pool customer for `owner` (a claim, or a manager's transfer out of the pool): the
 * winner of `pool-claim:<id>:<generation>`. With `cap`, the owner's count is checked again after
 * winning, and the customer given back when parallel claims of the same person went past it.
 */
async function takeFromPool(doc: CustomerDoc, owner: OwnerCandidate, move: Move, cap: number, whose?: string): Promise<void> {
  const generation = generationOf(doc);
  const key = `pool-claim:${String(doc._id)}:${generation}`;
  const result = await exclusively(
    key,
    async () => {
      const current = await findCustomerDoc(String(doc._id));
      if (current.ownerId || generationOf(current) !== generation) throw alreadyClaimed();
      await Customer.updateOne({ _id: doc._id }, { $set: { ownerId: owner.id, ownerSince: move.now, department: owner.department, poolReminderAt: null } });
      // Over the cap: back into the pool as it was, as a new generation (this one is spent).
      await holdCap(
        owner.id,
        cap,
        () => Customer.updateOne({ _id: doc._id }, { $set: { ownerId: null, ownerSince: null, department: current.department ?? '', poolGeneration: generation + 1 } }),
        whose,
      );
      await followDepartment(current, owner.department);
      await recordOwnershipEvent({
        customerId: String(doc._id),
        kind: move.kind,
        fromOwnerId: null,
        toOwnerId: owner.id,
        reason: move.reason,
        byStaffId: move.byStaffId,
        department: owner.department,
        at: move.now,
        key: `${key}:event`,
      });
    },
    move.now,
  );
  if (!result.won) throw alreadyClaimed();
}

// ---- actions ----

/** 申领: a pool customer becomes the caller's, within their cap. */
export async function claimCustomer(viewer: CustomerViewer, id: string, now = new Date()): Promise<CustomerView> {
  const doc = await findCustomerDoc(id);
  if (doc.ownerId) throw alreadyClaimed();
  // Managers claim within their department's pool; sales and admin anywhere.
  if (viewer.role === 'manager' && !(await customerVisibility(viewer)).canSee(doc)) throw customerNotFound();
  const owner = await ownerCandidate(viewer.staffId);
  const { maxOwned } = await limitsOf(owner);
  if (maxOwned > 0 && (await countOwned(owner.id)) >= maxOwned) throw capReached(maxOwned);
  await takeFromPool(doc, owner, { kind: 'claim', reason: '', byStaffId: viewer.staffId, now, eventKey: '' }, maxOwned);
  return customerView(id);
}

/** The customer as the owner (or their manager, or admin) may act on it; 404 when not seen at all. */
async function ownedForAction(viewer: CustomerViewer, id: string): Promise<CustomerDoc> {
  const doc = await findCustomerDoc(id);
  const visibility = await customerVisibility(viewer);
  if (viewer.role === 'sales') {
    if (!visibility.canSee(doc)) throw customerNotFound();
    if (doc.ownerId !== viewer.staffId) throw ownerOnly();
    return doc;
  }
  if (viewer.role !== 'manager' && viewer.role !== 'admin') throw ownerOnly();
  if (!visibility.canSee(doc)) throw customerNotFound();
  return doc;
}

/** 放回公海: the owner or a manager puts the customer back, with a reason. */
export async function releaseCustomer(viewer: CustomerViewer, id: string, reason: string, now = new Date()): Promise<CustomerView> {
  const doc = await ownedForAction(viewer, id);
  if (!doc.ownerId) throw inPool();
  if (!(await putInPool(doc, 'release', reason, viewer.staffId, now))) throw inPool();
  return customerView(id);
}

/** 转交: to an active salesperson (or manager) within their cap; managers may also hand out pool customers. */
export async function transferCustomer(viewer: CustomerViewer, id: string, input: TransferInput, now = new Date()): Promise<CustomerView> {
  const doc = await ownedForAction(viewer, id);
  const owner = await ownerCandidate(input.toStaffId);
  if (owner.id === doc.ownerId) throw badRequest('TRANSFER_SAME_OWNER', '该客户已归属此人');
  if (viewer.role === 'manager' && !(await managesOwner(viewer, owner))) throw forbidden('OWNER_OUT_OF_SCOPE', '只能转交给您所在部门或其下级部门的人员');
  await assertBelowCap(owner, 1, '接收人');
  const { maxOwned } = await limitsOf(owner);
  const move: Move = { kind: 'transfer', reason: input.reason, byStaffId: viewer.staffId, now, eventKey: '' };
  if (!doc.ownerId) {
    await takeFromPool(doc, owner, move, maxOwned, '接收人');
  } else {
    await giveTo(doc, owner, { ...move, eventKey: `transfer:${id}:${doc.ownerId}:${doc.ownerSince?.getTime() ?? 0}:${owner.id}` }, maxOwned, '接收人');
  }
  return customerView(id);
}

/**
 * Gives a customer its first owner outside the console's own create: a lead converted (S2, kind
 * `convert`) or an imported row (kind `import`). The owner must be active sales or a manager; the
 * customer takes their department. `key` makes a retried call record the event once.
 */
export async function assignCustomerOwner(
  customerId: string,
  ownerId: string,
  options: { kind: 'convert' | 'import'; byStaffId: string | null; reason?: string; key?: string; now?: Date },
): Promise<void> {
  const doc = await findCustomerDoc(customerId);
  if (doc.ownerId === ownerId) return;
  const owner = await ownerCandidate(ownerId);
  const now = options.now ?? new Date();
  await assertBelowCap(owner, 1, owner.name);
  const { maxOwned } = await limitsOf(owner);
  await giveTo(
    doc,
    owner,
    {
      kind: options.kind,
      reason: options.reason ?? '',
      byStaffId: options.byStaffId,
      now,
      eventKey: options.key ?? `${options.kind}:${customerId}:${ownerId}:${now.getTime()}`,
    },
    maxOwned,
    owner.name,
  );
}

/** Customers moved per batch of a bulk reassignment. */
const REASSIGN_BATCH = 200;

/**
 * 批量转移: every customer of a person (who leaves) to another, one by one so that a call cut short
 * leaves each customer either moved (with its event) or not; calling again moves the rest. Each
 * move holds the receiver's cap on its own (holdCap): when transfers or claims to the receiver
 * fill it meanwhile, the moves stop there with 409 and the rest stay with the person leaving.
 */
export async function reassignCustomers(viewer: CustomerViewer, input: ReassignInput, now = new Date()): Promise<ReassignResult> {
  if (input.fromStaffId === input.toStaffId) throw badRequest('TRANSFER_SAME_OWNER', '转出人和接收人不能是同一人');
  const from = await findStaffProfile(input.fromStaffId);
  if (!from) throw notFound('STAFF_NOT_FOUND', '转出人不存在');
  const owner = await ownerCandidate(input.toStaffId);
  if (!(await managesOwner(viewer, { department: from.department ?? '' })) || !(await managesOwner(viewer, owner))) {
    throw forbidden('OWNER_OUT_OF_SCOPE', '只能在您所在部门或其下级部门的人员之间转移客户');
  }
  await assertBelowCap(owner, await countOwned(input.fromStaffId), '接收人');
  const { maxOwned } = await limitsOf(owner);
  let moved = 0;
  for (;;) {
    const batch = await Customer.find({ ownerId: input.fromStaffId }).sort({ createdAt: -1, _id: -1 }).limit(REASSIGN_BATCH).lean<CustomerDoc[]>();
    if (batch.length === 0) break;
    for (const doc of batch) {
      await giveTo(doc, owner, {
        kind: 'reassign',
        reason: input.reason,
        byStaffId: viewer.staffId,
        now,
        eventKey: `reassign:${String(doc._id)}:${input.fromStaffId}:${doc.ownerSince?.getTime() ?? 0}:${owner.id}`,
      }, maxOwned, '接收人');
      moved += 1;
    }
  }
  return { moved, remaining: await countOwned(input.fromStaffId) };
}

/** 协作: the owner (or a manager) shares the customer with active colleagues. */
export async function setCollaborators(viewer: CustomerViewer, id: string, staffIds: string[]): Promise<CustomerView> {
  const doc = await ownedForAction(viewer, id);
  const wanted = [...new Set(staffIds)].filter((staffId) => staffId !== doc.ownerId);
  // Each must be someone who may own customers (active sales or manager).
  for (const staffId of wanted) await ownerCandidate(staffId);
  await setCustomerCollaborators(id, wanted);
  return customerView(id);
}

/** 锁定 / 解锁 (managers, admin): a locked customer never returns to the pool by itself. */
export async function setCustomerLocked(viewer: CustomerViewer, id: string, locked: boolean): Promise<CustomerView> {
  const doc = await findCustomerDoc(id);
  if (!(await customerVisibility(viewer)).canSee(doc)) throw customerNotFound();
  await Customer.updateOne({ _id: doc._id }, { $set: { locked } });
  return customerView(id);
}

// ---- the pool list ----

async function poolScope(viewer: CustomerViewer): Promise<Record<string, unknown> | null> {
  // Sales see the whole pool (that is what it is for); managers their departments'; admin all.
  if (viewer.role === 'sales' || viewer.role === 'admin') return {};
  if (viewer.role === 'manager') return departmentFilter(viewer);
  return null;
}

export async function listPool(viewer: CustomerViewer, query: PoolListQuery): Promise<Paged<PoolCustomer> & { totalCapped: boolean }> {
  const scope = await poolScope(viewer);
  if (!scope) return { ...paged([], 0, query), totalCapped: false };
  const rest = flatFilter(
    { ownerId: null },
    scope,
    query.region ? { region: query.region } : {},
    query.industry ? { industry: query.industry } : {},
  );
  const search = query.q?.trim() ? await matchingCustomerIds(query.q) : null;
  const filter = search ? withinList(idsCondition(search.ids), rest, search.ids.length <= FEW_MATCHES) : rest;
  const [stored, count] = await Promise.all([
    Customer.find(filter).sort({ createdAt: -1, _id: -1 }).skip(skipOf(query)).limit(query.pageSize).lean<CustomerDoc[]>(),
    cappedCount((options) => Customer.countDocuments(filter, options), Boolean(search)),
  ]);
  const docs = await withPoolClocks(stored);
  const [names, owners] = await Promise.all([departmentNames(), staffByIds(docs.map((doc) => doc.lastOwnerId))]);
  const masked = viewer.role === 'sales';
  const items = docs.map((doc) => ({
    id: String(doc._id),
    code: doc.code,
    name: doc.name,
    region: doc.region,
    industry: doc.industry ?? '',
    grade: doc.grade ?? '',
    phone: masked ? maskPhone(doc.phone ?? '') : doc.phone ?? '',
    department: doc.department ?? '',
    departmentName: names.get(doc.department ?? '') ?? doc.department ?? '',
    lastOwnerName: doc.lastOwnerId ? owners.get(doc.lastOwnerId)?.name ?? null : null,
    inPoolSince: doc.poolEnteredAt ? doc.poolEnteredAt.toISOString() : null,
    lastFollowUpAt: doc.lastFollowUpAt ? doc.lastFollowUpAt.toISOString() : null,
    createdAt: doc.createdAt.toISOString(),
  }));
  return { ...paged(items, count.total, query), totalCapped: count.totalCapped || Boolean(search?.capped) };
}

/** The caller's count against their cap (the pool page shows 已有 n / 上限 m). */
export async function poolQuota(viewer: CustomerViewer): Promise<PoolQuota> {
  const { maxOwned } = await limitsOf({ id: viewer.staffId, role: viewer.role });
  return { owned: await countOwned(viewer.staffId), maxOwned };
}


/** The people the caller may hand customers to: sales see every active colleague, managers their departments'. */
export async function transferTargets(viewer: CustomerViewer): Promise<PoolOwner[]> {
  const [staff, names] = await Promise.all([Promise.all([listActiveStaffOfRole('sales'), listActiveStaffOfRole('manager')]), departmentNames()]);
  const all = staff.flat();
  const allowed = viewer.role === 'manager' ? await Promise.all(all.map((member) => managesOwner(viewer, { department: member.department ?? '' }))) : all.map(() => true);
  return all
    .filter((_, index) => allowed[index])
    .map((member) => ({
      id: String(member._id),
      name: member.name,
      role: member.role as 'sales' | 'manager',
      department: member.department ?? '',
      departmentName: names.get(member.department ?? '') ?? member.department ?? '',
    }));
}
