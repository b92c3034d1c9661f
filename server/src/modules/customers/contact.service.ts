// Contacts (联系人) of customers. A WeChat user verifies as a contact by phone + SMS code; deleting a
// contact or changing its phone unbinds those WeChat users (they proved the old number, not the new).
// A contact is in the caller's scope when its customer is.
import { normalizePhone, type Contact as ContactView, type ContactInput, type ContactListQuery, type Paged } from '@qiao/shared';
import mongoose from 'mongoose';
import { notFound } from '../../errors.js';
import { contactIdsWithWeChatUser, unlinkContactFromWeChatUsers } from '../identity/lookup.service.js';
import { Contact, type ContactDoc } from './contact.model.js';
import type { ScopeViewer } from '../org/scope.js';
import { customerDepartment, customerNames, findCustomerInScope, isCustomerInScope } from './customer.service.js';
import { departmentFilter } from '../org/scope.js';
import { cappedCount, paged, skipOf } from '../../lib/query.js';
import { FEW_MATCHES, idsCondition, withinList } from '../../lib/search.js';
import { matchingContactIds, refreshContactSearch } from './search.service.js';
import { isObjectIdString } from '../../lib/db.js';

const contactNotFound = () => notFound('CONTACT_NOT_FOUND', '联系人不存在或已被删除');

async function toViews(docs: ContactDoc[]): Promise<ContactView[]> {
  const ids = docs.map((doc) => String(doc._id));
  const [names, boundIds] = await Promise.all([customerNames(docs.map((doc) => String(doc.customerId))), contactIdsWithWeChatUser(ids)]);
  return docs.map((doc) => ({
    id: String(doc._id),
    customerId: String(doc.customerId),
    customerName: names.get(String(doc.customerId)) ?? '',
    name: doc.name,
    phone: doc.phone,
    title: doc.title ?? '',
    tags: [...(doc.tags ?? [])],
    wechatBound: boundIds.has(String(doc._id)),
  }));
}

/**
 * The scope condition of a contact or device list: the viewer's departments (contacts and devices
 * carry their customer's `department`, so this is one indexed equality), or one customer when
 * asked — checked against the scope, an out-of-scope customer lists nothing.
 */
export async function scopeCondition(viewer: ScopeViewer, customerId: string | undefined): Promise<Record<string, unknown> | null> {
  if (customerId) return (await isCustomerInScope(viewer, customerId)) ? { customerId: new mongoose.Types.ObjectId(customerId) } : null;
  const filter = await departmentFilter(viewer);
  // No department at all (an engineer): nothing, without a query (an empty `$in` reads every row).
  const values = (filter.department as { $in?: unknown[] } | undefined)?.$in;
  return values?.length === 0 ? null : filter;
}

/**
 * Contacts and devices hold a copy of their customer's department; a customer moved to another
 * department takes them along (customer.service.ts).
 */
export async function moveCustomerContacts(customerId: mongoose.Types.ObjectId, department: string): Promise<void> {
  await Contact.updateMany({ customerId }, { $set: { department } });
}

/**
 * After writing a contact: if its customer moved meanwhile (the move's updateMany ran before this
 * write), the contact follows now.
 */
async function followCustomerDepartment(contactId: mongoose.Types.ObjectId, customerId: mongoose.Types.ObjectId, written: string): Promise<void> {
  const department = await customerDepartment(String(customerId));
  if (department !== null && department !== written) await Contact.updateOne({ _id: contactId }, { $set: { department } });
}

export async function listContacts(viewer: ScopeViewer, query: ContactListQuery): Promise<Paged<ContactView> & { totalCapped: boolean }> {
  const scope = await scopeCondition(viewer, query.customerId);
  if (!scope) return { ...paged([], 0, query), totalCapped: false };
  // Search by name (contains) and phone (start or end): ids from the search keys.
  const search = query.q?.trim() ? await matchingContactIds(query.q) : null;
  const filter = search ? withinList(idsCondition(search.ids), scope, search.ids.length <= FEW_MATCHES) : scope;
  const [docs, count] = await Promise.all([
    Contact.find(filter).sort({ createdAt: -1, _id: -1 }).skip(skipOf(query)).limit(query.pageSize).lean<ContactDoc[]>(),
    // A search is counted only up to a cap.
    cappedCount((options) => Contact.countDocuments(filter, options), Boolean(search)),
  ]);
  return { ...paged(await toViews(docs), count.total, query), totalCapped: count.totalCapped || Boolean(search?.capped) };
}

async function findContactDoc(viewer: ScopeViewer, id: string): Promise<ContactDoc> {
  const doc = isObjectIdString(id) ? await Contact.findById(id).lean<ContactDoc>() : null;
  if (!doc) throw contactNotFound();
  // Out of scope answers exactly like a missing contact.
  if (!(await isCustomerInScope(viewer, String(doc.customerId)))) throw contactNotFound();
  return doc;
}

const viewOf = async (id: string) => (await toViews([(await Contact.findById(id).lean<ContactDoc>())!]))[0]!;

export async function getContact(viewer: ScopeViewer, id: string): Promise<ContactView> {
  const [view] = await toViews([await findContactDoc(viewer, id)]);
  return view!;
}

export async function createContact(viewer: ScopeViewer, input: ContactInput): Promise<ContactView> {
  const customer = await findCustomerInScope(viewer, input.customerId);
  const department = customer.department ?? '';
  const doc = await Contact.create({
    customerId: customer._id,
    department,
    name: input.name,
    phone: normalizePhone(input.phone),
    title: input.title,
    tags: [...new Set(input.tags ?? [])],
  });
  await followCustomerDepartment(doc._id, customer._id, department);
  await refreshContactSearch(String(doc._id));
  return viewOf(String(doc._id));
}

export async function updateContact(viewer: ScopeViewer, id: string, input: ContactInput): Promise<ContactView> {
  const existing = await findContactDoc(viewer, id);
  const customer = await findCustomerInScope(viewer, input.customerId);
  const phone = normalizePhone(input.phone);
  const department = customer.department ?? '';
  const tags = input.tags ? { tags: [...new Set(input.tags)] } : {};
  await Contact.updateOne({ _id: existing._id }, { $set: { customerId: customer._id, department, name: input.name, phone, title: input.title, ...tags } });
  await followCustomerDepartment(existing._id, customer._id, department);
  await refreshContactSearch(id);
  if (phone !== existing.phone) await unbindWeChatUsers(id);
  return viewOf(id);
}

export async function deleteContact(viewer: ScopeViewer, id: string): Promise<void> {
  const existing = await findContactDoc(viewer, id);
  await Contact.deleteOne({ _id: existing._id });
  await refreshContactSearch(id, String(existing.customerId));
  await unbindWeChatUsers(id);
}

async function unbindWeChatUsers(contactId: string): Promise<void> {
  await unlinkContactFromWeChatUsers(contactId);
}

/**
 * The contact a phone number verifies as. Several contacts may share a number (one person at two
 * customers): the earliest created one is chosen, so the answer is stable.
 */
export async function findContactByPhone(phone: string): Promise<ContactDoc | null> {
  const [doc] = await Contact.find({ phone: normalizePhone(phone) })
    .sort({ createdAt: 1, _id: 1 })
    .limit(1)
    .lean<ContactDoc[]>();
  return doc ?? null;
}
