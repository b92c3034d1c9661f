// Contacts (联系人) of customers. A WeChat user verifies as a contact by phone + SMS code; deleting a
// contact or changing its phone unbinds those WeChat users (they proved the old number, not the new).
// A contact is in the caller's scope when its customer is.
import { normalizePhone, type Contact as ContactView, type ContactInput, type ContactListQuery, type Paged } from '@qiao/shared';
import mongoose from 'mongoose';
import { notFound } from '../../errors.js';
import { contactIdsWithWeChatUser, unlinkContactFromWeChatUsers } from '../identity/lookup.service.js';
import { Contact, type ContactDoc } from './contact.model.js';
import type { ScopeViewer } from '../org/scope.js';
import { customerIdsInScope, customerNames, findCustomerInScope, isCustomerInScope } from './customer.service.js';
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
    wechatBound: boundIds.has(String(doc._id)),
  }));
}

/** `customerId` condition of a list: the customers in scope, narrowed to one when asked. */
export async function customerCondition(viewer: ScopeViewer, customerId: string | undefined): Promise<Record<string, unknown>> {
  const inScope = await customerIdsInScope(viewer);
  if (customerId) {
    const id = new mongoose.Types.ObjectId(customerId);
    return { customerId: inScope === null || inScope.some((c) => c.equals(id)) ? id : { $in: [] } };
  }
  return inScope === null ? {} : { customerId: { $in: inScope } };
}

export async function listContacts(viewer: ScopeViewer, query: ContactListQuery): Promise<Paged<ContactView> & { totalCapped: boolean }> {
  // Search by name (contains) and phone (start or end): ids from the search keys.
  const search = query.q?.trim() ? await matchingContactIds(query.q) : null;
  const rest = {
    ...(await customerCondition(viewer, query.customerId)),
  };
  const filter = search ? withinList(idsCondition(search.ids), rest, search.ids.length <= FEW_MATCHES) : rest;
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
  const doc = await Contact.create({
    customerId: customer._id,
    name: input.name,
    phone: normalizePhone(input.phone),
    title: input.title,
  });
  await refreshContactSearch(String(doc._id));
  return viewOf(String(doc._id));
}

export async function updateContact(viewer: ScopeViewer, id: string, input: ContactInput): Promise<ContactView> {
  const existing = await findContactDoc(viewer, id);
  const customer = await findCustomerInScope(viewer, input.customerId);
  const phone = normalizePhone(input.phone);
  await Contact.updateOne({ _id: existing._id }, { $set: { customerId: customer._id, name: input.name, phone, title: input.title } });
  await refreshContactSearch(id);
  if (phone !== existing.phone) await unbindWeChatUsers(id);
  return viewOf(id);
}

export async function deleteContact(viewer: ScopeViewer, id: string): Promise<void> {
  const existing = await findContactDoc(viewer, id);
  await Contact.deleteOne({ _id: existing._id });
  await refreshContactSearch(id);
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
