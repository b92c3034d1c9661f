// Customers (客户): list with search and counts, create with a generated code, update — each within
// what the caller sees (customer-visibility.ts: department scope, sales their own and shared ones).
// Customers out of sight answer 404 like missing ones.
import { maskPhone, type Customer as CustomerView, type CustomerInput, type CustomerListQuery, type Paged } from '@qiao/shared';
import mongoose from 'mongoose';
import { conflict, forbidden, notFound } from '../../errors.js';
import { assertDepartmentExists, departmentNames } from '../org/department.service.js';
import { inDepartmentScope, type ScopeViewer } from '../org/scope.js';
import { staffByIds } from '../identity/lookup.service.js';
import { syncCustomerFollowDues } from '../leads/follow-record.dues.js';
import { moveCustomerRequests } from '../service/request-department.js';
import { Contact } from './contact.model.js';
import { moveCustomerContacts } from './contact.service.js';
import { moveCustomerProducts } from './product-archive.service.js';
import { Customer, type CustomerDoc } from './customer.model.js';
import { ProductArchive } from './product-archive.model.js';
import { isDuplicateKey, isObjectIdString } from '../../lib/db.js';
import { cappedCount, flatFilter, paged, skipOf } from '../../lib/query.js';
import { FEW_MATCHES, idsCondition, withinList } from '../../lib/search.js';
import { nextSequence } from '../../lib/settings.js';
import { matchingCustomerIds, refreshCustomerSearch } from './search.service.js';
import { accessTo, customerVisibility, type CustomerAccess, type CustomerViewer } from './customer-visibility.js';
import { withPoolClocks } from './pool-clock.service.js';
import { holdCap, limitsOf, ownerForNewCustomer } from './pool-rules.js';
import { recordOwnershipEvent } from './ownership.service.js';

/** Generated codes: KH + at least 6 digits, from a counter in `settings`. */
export const CUSTOMER_CODE_PREFIX = 'KH';
const CODE_COUNTER_ID = 'customer-code-seq';

const customerNotFound = () => notFound('CUSTOMER_NOT_FOUND', '客户不存在或已被删除');
const codeTaken = (code: string) => conflict('CUSTOMER_CODE_TAKEN', `客户编码 ${code} 已被使用，请换一个`);

/** How many documents of `model` point at each customer of `ids` (one aggregation). */
async function countByCustomer(model: mongoose.Model<any>, ids: mongoose.Types.ObjectId[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await model.aggregate<{ _id: mongoose.Types.ObjectId; n: number }>([
    { $match: { customerId: { $in: ids } } },
    { $group: { _id: '$customerId', n: { $sum: 1 } } },
  ]);
  return new Map(rows.map((row) => [String(row._id), row.n]));
}

const iso = (at: Date | null | undefined) => (at ? at.toISOString() : null);

async function toViews(stored: CustomerDoc[]): Promise<CustomerView[]> {
  const docs = await withPoolClocks(stored);
  const ids = docs.map((doc) => doc._id);
  const [contacts, products, names, owners] = await Promise.all([
    countByCustomer(Contact, ids),
    countByCustomer(ProductArchive, ids),
    departmentNames(),
    staffByIds(docs.map((doc) => doc.ownerId)),
  ]);
  return docs.map((doc) => ({
    id: String(doc._id),
    code: doc.code,
    name: doc.name,
    region: doc.region,
    industry: doc.industry ?? '',
    grade: doc.grade ?? '',
    address: doc.address ?? '',
    phone: doc.phone ?? '',
    department: doc.department ?? '',
    departmentName: names.get(doc.department ?? '') ?? doc.department ?? '',
    contactCount: contacts.get(String(doc._id)) ?? 0,
    productCount: products.get(String(doc._id)) ?? 0,
    createdAt: doc.createdAt.toISOString(),
    ownerId: doc.ownerId ?? null,
    ownerName: doc.ownerId ? owners.get(doc.ownerId)?.name ?? '（已删除）' : null,
    ownerSince: iso(doc.ownerSince),
    inPool: !doc.ownerId,
    locked: Boolean(doc.locked),
    lastFollowUpAt: iso(doc.lastFollowUpAt),
    lastDealAt: iso(doc.lastDealAt),
    collaboratorIds: [...(doc.collaboratorIds ?? [])],
  }));
}

/** The owner conditions of a list: 我的客户, one owner, the pool. */
function ownerConditions(viewer: CustomerViewer, query: CustomerListQuery): Record<string, unknown> {
  if (query.mine) return { ownerId: viewer.staffId };
  if (query.ownerId) return { ownerId: query.ownerId };
  if (query.inPool !== undefined) return { ownerId: query.inPool ? null : { $type: 'string' } };
  return {};
}

/** Of a search's matches, those inside an id-based visibility (a salesperson's shared customers). */
function visibleMatches(ids: unknown[], visibility: Record<string, unknown>): { ids: unknown[]; rest: Record<string, unknown> } {
  const visible = (visibility._id as { $in?: unknown[] } | undefined)?.$in;
  if (!visible) return { ids, rest: visibility };
  const allowed = new Set(visible.map(String));
  const { _id: _ignored, ...rest } = visibility;
  return { ids: ids.filter((id) => allowed.has(String(id))), rest };
}

export async function listCustomers(viewer: CustomerViewer, query: CustomerListQuery): Promise<Paged<CustomerView> & { totalCapped: boolean }> {
  const visibility = await customerVisibility(viewer);
  if (!visibility.filter) return { ...paged([], 0, query), totalCapped: false };
  // Search by name (contains), code and phone: the ids from the search keys (search.service.ts).
  const search = query.q?.trim() ? await matchingCustomerIds(query.q) : null;
  const conditions = flatFilter(ownerConditions(viewer, query), query.region ? { region: query.region } : {});
  const seen = visibleMatches(search?.ids ?? [], visibility.filter);
  const filter = search
    ? withinList(idsCondition(seen.ids), flatFilter(seen.rest, conditions), seen.ids.length <= FEW_MATCHES)
    : flatFilter(visibility.filter, conditions);
  const [docs, count] = await Promise.all([
    Customer.find(filter).sort({ createdAt: -1, _id: -1 }).skip(skipOf(query)).limit(query.pageSize).lean<CustomerDoc[]>(),
    // A search is counted only up to a cap (and says so when it had too many candidates).
    cappedCount((options) => Customer.countDocuments(filter, options), Boolean(search)),
  ]);
  return { ...paged(await toViews(docs), count.total, query), totalCapped: count.totalCapped || Boolean(search?.capped) };
}

export async function findCustomerDoc(id: string): Promise<CustomerDoc> {
  const doc = isObjectIdString(id) ? await Customer.findById(id).lean<CustomerDoc>() : null;
  if (!doc) throw customerNotFound();
  return doc;
}

/** The customer if the viewer sees it, else 404 (as if it did not exist). */
export async function findCustomerInScope(viewer: CustomerViewer, id: string): Promise<CustomerDoc> {
  const doc = await findCustomerDoc(id);
  if (!(await customerVisibility(viewer)).canSee(doc)) throw customerNotFound();
  return doc;
}

/**
 * The one check of opening a customer (the detail, and the 360 view built on it): 'full', or
 * 'pool' — a salesperson looking at a pool customer before claiming it, contact details masked.
 */
export async function openCustomer(viewer: CustomerViewer, id: string): Promise<{ doc: CustomerDoc; access: Exclude<CustomerAccess, null> }> {
  const doc = await findCustomerDoc(id);
  const access = accessTo(await customerVisibility(viewer), viewer, doc);
  if (!access) throw customerNotFound();
  return { doc, access };
}

export async function getCustomer(viewer: CustomerViewer, id: string): Promise<CustomerView> {
  const { doc, access } = await openCustomer(viewer, id);
  const [view] = await toViews([doc]);
  return access === 'pool' ? { ...view!, phone: maskPhone(view!.phone) } : view!;
}

/** Whether the customer exists and the viewer sees it (contacts and archives follow it). */
export async function isCustomerInScope(viewer: CustomerViewer, customerId: string): Promise<boolean> {
  const doc = isObjectIdString(customerId)
    ? await Customer.findById(customerId, { department: 1, ownerId: 1, collaboratorIds: 1 }).lean<Pick<CustomerDoc, 'department' | 'ownerId' | 'collaboratorIds'>>()
    : null;
  return doc !== null && (await customerVisibility(viewer)).canSee(doc);
}

/** Customer views by id (ownership actions answer with the customer as it is now). */
export async function customerView(id: string): Promise<CustomerView> {
  return viewOf(id);
}

const viewOf = async (id: string) => (await toViews([await findCustomerDoc(id)]))[0]!;

/** The customer's department ('' for none), null when there is no such customer. */
export async function customerDepartment(customerId: string): Promise<string | null> {
  const doc = isObjectIdString(customerId) ? await Customer.findById(customerId, { department: 1 }).lean<Pick<CustomerDoc, 'department'>>() : null;
  return doc ? doc.department ?? '' : null;
}

export async function countCustomersInDepartment(departmentId: string): Promise<number> {
  return Customer.countDocuments({ department: departmentId });
}

/**
 * The department a create or edit stores: an empty choice keeps the current one (new customers:
 * the creator's department). It must exist and lie in the caller's scope (403 otherwise).
 */
async function departmentFor(viewer: ScopeViewer, input: CustomerInput, current: string | null): Promise<string> {
  const department = input.department || (current ?? (viewer.role === 'admin' ? '' : viewer.department ?? ''));
  if (department !== current && department !== viewer.department) await assertDepartmentExists(department);
  if (!(await inDepartmentScope(viewer, department))) {
    throw forbidden('DEPARTMENT_OUT_OF_SCOPE', '只能把客户归入您所在部门或其下级部门');
  }
  return department;
}

/** Customer names by id, for lists of contacts and archives. */
export async function customerNames(ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set([...ids].map(String))].filter((id) => isObjectIdString(id));
  if (unique.length === 0) return new Map();
  const docs = await Customer.find({ _id: { $in: unique } }, { name: 1 }).lean<Array<Pick<CustomerDoc, '_id' | 'name'>>>();
  return new Map(docs.map((doc) => [String(doc._id), doc.name]));
}

const normalizeCode = (code: string) => code.trim().toUpperCase();

function fields(input: CustomerInput, department: string) {
  return {
    name: input.name,
    region: input.region,
    industry: input.industry,
    grade: input.grade,
    address: input.address,
    phone: input.phone,
    department,
  };
}

/** The next free-looking generated code (the unique index still decides; see createCustomer). */
export async function nextGeneratedCode(): Promise<string> {
  return `${CUSTOMER_CODE_PREFIX}${String(await nextSequence(CODE_COUNTER_ID)).padStart(6, '0')}`;
}

export async function createCustomer(viewer: CustomerViewer, input: CustomerInput, now = new Date()): Promise<CustomerView> {
  // A salesperson owns what they create; managers and admin may name an owner (whose department
  // the customer then takes) or leave it in the pool.
  const owner = await ownerForNewCustomer(viewer, input.ownerId);
  // A named owner brings their department; a salesperson's own customer goes where they choose
  // within their subtree (their own department by default).
  const department = owner && owner.id !== viewer.staffId ? owner.department : await departmentFor(viewer, input, null);
  const ownership = owner ? { ownerId: owner.id, ownerSince: now } : { ownerId: null, poolEnteredAt: now };
  const created = async (id: string) => {
    // Parallel moves to the same owner went past the cap: the new customer is not kept.
    if (owner) await holdCap(owner.id, (await limitsOf(owner)).maxOwned, () => Customer.deleteOne({ _id: id }), owner.id === viewer.staffId ? undefined : owner.name);
    await refreshCustomerSearch(id);
    await recordOwnershipEvent({ customerId: id, kind: 'create', fromOwnerId: null, toOwnerId: owner?.id ?? null, byStaffId: viewer.staffId, department, at: now, key: `create:${id}` });
    return viewOf(id);
  };
  const given = normalizeCode(input.code);
  if (given) {
    try {
      const doc = await Customer.create({ ...fields(input, department), ...ownership, code: given });
      return created(String(doc._id));
    } catch (error) {
      if (isDuplicateKey(error)) throw codeTaken(given);
      throw error;
    }
  }
  // Generated: a code someone typed by hand (or another process on FerretDB, whose findAndModify
  // is not atomic across clients) may already hold the next number; the unique index decides.
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const code = await nextGeneratedCode();
    if (await Customer.exists({ code })) continue;
    try {
      const doc = await Customer.create({ ...fields(input, department), ...ownership, code });
      return created(String(doc._id));
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  throw conflict('CUSTOMER_CODE_TAKEN', '无法生成客户编码，请手动填写');
}

export async function updateCustomer(viewer: CustomerViewer, id: string, input: CustomerInput): Promise<CustomerView> {
  const existing = await findCustomerInScope(viewer, id);
  const department = await departmentFor(viewer, input, existing.department ?? '');
  // An empty code keeps the current one.
  const code = normalizeCode(input.code) || existing.code;
  if (code !== existing.code && (await Customer.exists({ code, _id: { $ne: existing._id } }))) throw codeTaken(code);
  try {
    await Customer.updateOne({ _id: existing._id }, { $set: { ...fields(input, department), code } });
  } catch (error) {
    if (isDuplicateKey(error)) throw codeTaken(code);
    throw error;
  }
  await refreshCustomerSearch(id);
  if (department !== (existing.department ?? '')) await moveCustomerRequests(id, department);
  // Its due follow-up is the new department's managers' to see.
  if (department !== (existing.department ?? '')) await syncCustomerFollowDues([id]);
  // On every edit (a few indexed rows): an earlier move cut short by a crash is finished here.
  await Promise.all([moveCustomerContacts(existing._id, department), moveCustomerProducts(existing._id, department)]);
  return viewOf(id);
}
