// Product archives (产品档案): installed devices of customers, with their warranty state. An archive
// is in the caller's scope when its customer is.
import {
  WARRANTY_REMINDER_DAYS,
  warrantyState,
  type Paged,
  type ProductArchive as ProductArchiveView,
  type ProductArchiveInput,
  type ProductListQuery,
  type WarrantyState,
} from '@qiao/shared';
import mongoose from 'mongoose';
import { conflict, forbidden, notFound } from '../../errors.js';
import { contactIdOfWeChatUser } from '../identity/lookup.service.js';
import { Contact, type ContactDoc } from './contact.model.js';
import type { CustomerViewer } from './customer-visibility.js';
import { scopeCondition } from './contact.service.js';
import { customerDepartment, customerNames, findCustomerInScope, isCustomerInScope } from './customer.service.js';
import { ProductArchive, type ProductArchiveDoc } from './product-archive.model.js';
import { isDuplicateKey, isObjectIdString } from '../../lib/db.js';
import { cappedCount, paged, skipOf } from '../../lib/query.js';
import { CANDIDATE_CAP, FEW_MATCHES, idsCondition, withinList } from '../../lib/search.js';
import { matchingCustomerIds, matchingProductIds, refreshProductSearch, unionMatches, type SearchMatch } from './search.service.js';

const DAY_MS = 24 * 3600_000;
const productNotFound = () => notFound('PRODUCT_NOT_FOUND', '产品档案不存在或已被删除');
const serialTaken = (serial: string) => conflict('SERIAL_NUMBER_TAKEN', `序列号 ${serial} 已登记在其他产品档案中`);

/** Calendar dates are stored as UTC midnight and given back as YYYY-MM-DD. */
const toDate = (day: string) => new Date(`${day}T00:00:00.000Z`);
const toDay = (date: Date) => date.toISOString().slice(0, 10);

function toView(doc: ProductArchiveDoc, customerName: string, now: Date): ProductArchiveView {
  const warrantyEndsAt = toDay(doc.warrantyEndsAt);
  return {
    id: String(doc._id),
    serialNumber: doc.serialNumber,
    model: doc.model,
    productLine: doc.productLine,
    customerId: String(doc.customerId),
    customerName,
    installedAt: toDay(doc.installedAt),
    warrantyEndsAt,
    // The same rule on the same value as the apps: warrantyState('YYYY-MM-DD').
    warrantyState: warrantyState(warrantyEndsAt, now),
    address: doc.address ?? '',
  };
}

async function toViews(docs: ProductArchiveDoc[], now: Date): Promise<ProductArchiveView[]> {
  const names = await customerNames(docs.map((doc) => String(doc.customerId)));
  return docs.map((doc) => toView(doc, names.get(String(doc.customerId)) ?? '', now));
}

/** The warrantyEndsAt range of a state, matching warrantyState(): expired < now ≤ expiring ≤ now + 30 d < in warranty. */
export function warrantyRange(state: WarrantyState, now: Date): Record<string, Date> {
  const horizon = new Date(now.getTime() + WARRANTY_REMINDER_DAYS * DAY_MS);
  if (state === 'expired') return { $lt: now };
  if (state === 'expiring') return { $gte: now, $lte: horizon };
  return { $gt: horizon };
}

export async function listProducts(viewer: CustomerViewer, query: ProductListQuery, now = new Date()): Promise<Paged<ProductArchiveView> & { totalCapped: boolean }> {
  const scope = await scopeCondition(viewer, query.customerId);
  if (!scope) return { ...paged([], 0, query), totalCapped: false };
  // Search by serial number, model and the customer's name: ids from the search keys.
  const search = query.q?.trim() ? await matchingProductsForList(query.q) : null;
  const rest = {
    ...scope,
    ...(query.warrantyState ? { warrantyEndsAt: warrantyRange(query.warrantyState, now) } : {}),
  };
  const filter = search ? withinList(idsCondition(search.ids), rest, search.ids.length <= FEW_MATCHES) : rest;
  const [docs, count] = await Promise.all([
    ProductArchive.find(filter).sort({ createdAt: -1, _id: -1 }).skip(skipOf(query)).limit(query.pageSize).lean<ProductArchiveDoc[]>(),
    // A search is counted only up to a cap.
    cappedCount((options) => ProductArchive.countDocuments(filter, options), Boolean(search)),
  ]);
  return { ...paged(await toViews(docs, now), count.total, query), totalCapped: count.totalCapped || Boolean(search?.capped) };
}

/** Archives whose serial number or model matches, and the archives of customers whose name, code or phone does. */
async function matchingProductsForList(q: string): Promise<SearchMatch> {
  const [own, customers] = await Promise.all([matchingProductIds(q), matchingCustomerIds(q)]);
  if (customers.ids.length === 0) return own;
  const ofCustomers = await ProductArchive.find({ customerId: { $in: customers.ids } }, { _id: 1 })
    .limit(CANDIDATE_CAP + 1)
    .lean<Array<Pick<ProductArchiveDoc, '_id'>>>();
  const byCustomer = { ids: ofCustomers.slice(0, CANDIDATE_CAP).map((doc) => String(doc._id)), capped: customers.capped || ofCustomers.length > CANDIDATE_CAP };
  return unionMatches(own, byCustomer);
}

/** Devices hold a copy of their customer's department; a moved customer takes them along. */
export async function moveCustomerProducts(customerId: mongoose.Types.ObjectId, department: string): Promise<void> {
  await ProductArchive.updateMany({ customerId }, { $set: { department } });
}

/** After writing a device: if its customer moved meanwhile, the device follows now. */
async function followCustomerDepartment(id: mongoose.Types.ObjectId, customerId: mongoose.Types.ObjectId, written: string): Promise<void> {
  const department = await customerDepartment(String(customerId));
  if (department !== null && department !== written) await ProductArchive.updateOne({ _id: id }, { $set: { department } });
}

export async function findProductDoc(id: string): Promise<ProductArchiveDoc> {
  const doc = isObjectIdString(id) ? await ProductArchive.findById(id).lean<ProductArchiveDoc>() : null;
  if (!doc) throw productNotFound();
  return doc;
}

/** The archive if its customer is in the viewer's scope, else 404 (as if it did not exist). */
async function findProductInScope(viewer: CustomerViewer, id: string): Promise<ProductArchiveDoc> {
  const doc = await findProductDoc(id);
  if (!(await isCustomerInScope(viewer, String(doc.customerId)))) throw productNotFound();
  return doc;
}

export async function getProduct(viewer: CustomerViewer, id: string, now = new Date()): Promise<ProductArchiveView> {
  const [view] = await toViews([await findProductInScope(viewer, id)], now);
  return view!;
}

const viewOf = async (id: string) => (await toViews([await findProductDoc(id)], new Date()))[0]!;

function fields(input: ProductArchiveInput, customer: { _id: mongoose.Types.ObjectId; department?: string | null }) {
  return {
    serialNumber: input.serialNumber,
    model: input.model,
    productLine: input.productLine,
    customerId: customer._id,
    department: customer.department ?? '',
    installedAt: toDate(input.installedAt),
    warrantyEndsAt: toDate(input.warrantyEndsAt),
    address: input.address,
  };
}

export async function createProduct(viewer: CustomerViewer, input: ProductArchiveInput): Promise<ProductArchiveView> {
  const customer = await findCustomerInScope(viewer, input.customerId);
  if (await ProductArchive.exists({ serialNumber: input.serialNumber })) throw serialTaken(input.serialNumber);
  try {
    const doc = await ProductArchive.create(fields(input, customer));
    await followCustomerDepartment(doc._id, customer._id, customer.department ?? '');
    await refreshProductSearch(String(doc._id));
    return viewOf(String(doc._id));
  } catch (error) {
    if (isDuplicateKey(error)) throw serialTaken(input.serialNumber);
    throw error;
  }
}

export async function updateProduct(viewer: CustomerViewer, id: string, input: ProductArchiveInput): Promise<ProductArchiveView> {
  const existing = await findProductInScope(viewer, id);
  const customer = await findCustomerInScope(viewer, input.customerId);
  const set: Record<string, unknown> = fields(input, customer);
  // A new warranty end date gets its own reminder.
  if (toDay(existing.warrantyEndsAt) !== input.warrantyEndsAt) set.warrantyReminderSentAt = null;
  if (await ProductArchive.exists({ serialNumber: input.serialNumber, _id: { $ne: existing._id } })) throw serialTaken(input.serialNumber);
  try {
    await ProductArchive.updateOne({ _id: existing._id }, { $set: set });
  } catch (error) {
    if (isDuplicateKey(error)) throw serialTaken(input.serialNumber);
    throw error;
  }
  await followCustomerDepartment(existing._id, customer._id, customer.department ?? '');
  await refreshProductSearch(id);
  return viewOf(id);
}

/** GET /me/products: the archives of the customer the WeChat user verified as. */
export async function listMyProducts(wechatUserId: string, now = new Date()): Promise<{ items: ProductArchiveView[] }> {
  const contactId = await contactIdOfWeChatUser(wechatUserId);
  const contact = contactId && isObjectIdString(contactId) ? await Contact.findById(contactId).lean<ContactDoc>() : null;
  if (!contact) throw forbidden('VERIFICATION_REQUIRED', '请先完成身份验证');
  const docs = await ProductArchive.find({ customerId: contact.customerId })
    .sort({ installedAt: -1, _id: -1 })
    .limit(500)
    .lean<ProductArchiveDoc[]>();
  return { items: await toViews(docs, now) };
}
