// Customers (客户): list with search and counts, create with a generated code, update — each within
// the caller's department scope (org/scope.ts). Customers out of scope answer 404 like missing ones.
import type { Customer as CustomerView, CustomerInput, CustomerListQuery, Paged } from '@qiao/shared';
import mongoose from 'mongoose';
import { conflict, forbidden, notFound } from '../../errors.js';
import { assertDepartmentExists, departmentNames } from '../org/department.service.js';
import { departmentFilter, inDepartmentScope, type ScopeViewer } from '../org/scope.js';
import { moveCustomerRequests } from '../service/request-department.js';
import { Contact } from './contact.model.js';
import { moveCustomerContacts } from './contact.service.js';
import { moveCustomerProducts } from './product-archive.service.js';
import { Customer, type CustomerDoc } from './customer.model.js';
import { ProductArchive } from './product-archive.model.js';
import { isDuplicateKey, isObjectIdString } from '../../lib/db.js';
import { cappedCount, paged, skipOf } from '../../lib/query.js';
import { FEW_MATCHES, idsCondition, withinList } from '../../lib/search.js';
import { nextSequence } from '../../lib/settings.js';
import { matchingCustomerIds, refreshCustomerSearch } from './search.service.js';

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

async function toViews(docs: CustomerDoc[]): Promise<CustomerView[]> {
  const ids = docs.map((doc) => doc._id);
  const [contacts, products, names] = await Promise.all([
    countByCustomer(Contact, ids),
    countByCustomer(ProductArchive, ids),
    departmentNames(),
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
  }));
}

export async function listCustomers(viewer: ScopeViewer, query: CustomerListQuery): Promise<Paged<CustomerView> & { totalCapped: boolean }> {
  // Search by name (contains), code and phone: the ids from the search keys (search.service.ts).
  const search = query.q?.trim() ? await matchingCustomerIds(query.q) : null;
  const rest = {
    ...(query.region ? { region: query.region } : {}),
    ...(await departmentFilter(viewer)),
  };
  const filter = search ? withinList(idsCondition(search.ids), rest, search.ids.length <= FEW_MATCHES) : rest;
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

/** The customer if the viewer's scope includes it, else 404 (as if it did not exist). */
export async function findCustomerInScope(viewer: ScopeViewer, id: string): Promise<CustomerDoc> {
  const doc = await findCustomerDoc(id);
  if (!(await inDepartmentScope(viewer, doc.department))) throw customerNotFound();
  return doc;
}

export async function getCustomer(viewer: ScopeViewer, id: string): Promise<CustomerView> {
  const [view] = await toViews([await findCustomerInScope(viewer, id)]);
  return view!;
}

/** Whether the customer exists and lies in the viewer's scope (contacts and archives follow it). */
export async function isCustomerInScope(viewer: ScopeViewer, customerId: string): Promise<boolean> {
  const doc = isObjectIdString(customerId)
    ? await Customer.findById(customerId, { department: 1 }).lean<Pick<CustomerDoc, 'department'>>()
    : null;
  return doc !== null && (await inDepartmentScope(viewer, doc.department));
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

export async function createCustomer(viewer: ScopeViewer, input: CustomerInput): Promise<CustomerView> {
  const department = await departmentFor(viewer, input, null);
  const given = normalizeCode(input.code);
  if (given) {
    try {
      const doc = await Customer.create({ ...fields(input, department), code: given });
      await refreshCustomerSearch(String(doc._id));
      return viewOf(String(doc._id));
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
      const doc = await Customer.create({ ...fields(input, department), code });
      await refreshCustomerSearch(String(doc._id));
      return viewOf(String(doc._id));
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  throw conflict('CUSTOMER_CODE_TAKEN', '无法生成客户编码，请手动填写');
}

export async function updateCustomer(viewer: ScopeViewer, id: string, input: CustomerInput): Promise<CustomerView> {
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
  // On every edit (a few indexed rows): an earlier move cut short by a crash is finished here.
  await Promise.all([moveCustomerContacts(existing._id, department), moveCustomerProducts(existing._id, department)]);
  return viewOf(id);
}
