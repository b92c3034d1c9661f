// Contacts (联系人) of customers. A WeChat user verifies as a contact by phone + SMS code; deleting a
// contact or changing its phone unbinds those WeChat users (they proved the old number, not the new).
import { normalizePhone, type Contact as ContactView, type ContactInput, type ContactListQuery, type Paged } from '@qiao/shared';
import mongoose from 'mongoose';
import { notFound } from '../../errors.js';
import { contactIdsWithWeChatUser, unlinkContactFromWeChatUsers } from '../identity/lookup.service.js';
import { Contact, type ContactDoc } from './contact.model.js';
import { customerNames, findCustomerDoc } from './customer.service.js';
import { paged, searchFilter, skipOf } from '../../lib/query.js';
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

export async function listContacts(query: ContactListQuery): Promise<Paged<ContactView>> {
  const filter = {
    ...searchFilter(query.q, ['name', 'phone', 'title']),
    ...(query.customerId ? { customerId: new mongoose.Types.ObjectId(query.customerId) } : {}),
  };
  const [docs, total] = await Promise.all([
    Contact.find(filter).sort({ createdAt: -1, _id: -1 }).skip(skipOf(query)).limit(query.pageSize).lean<ContactDoc[]>(),
    Contact.countDocuments(filter),
  ]);
  return paged(await toViews(docs), total, query);
}

async function findContactDoc(id: string): Promise<ContactDoc> {
  const doc = isObjectIdString(id) ? await Contact.findById(id).lean<ContactDoc>() : null;
  if (!doc) throw contactNotFound();
  return doc;
}

export async function getContact(id: string): Promise<ContactView> {
  const [view] = await toViews([await findContactDoc(id)]);
  return view!;
}

export async function createContact(input: ContactInput): Promise<ContactView> {
  const customer = await findCustomerDoc(input.customerId);
  const doc = await Contact.create({
    customerId: customer._id,
    name: input.name,
    phone: normalizePhone(input.phone),
    title: input.title,
  });
  return getContact(String(doc._id));
}

export async function updateContact(id: string, input: ContactInput): Promise<ContactView> {
  const existing = await findContactDoc(id);
  const customer = await findCustomerDoc(input.customerId);
  const phone = normalizePhone(input.phone);
  await Contact.updateOne({ _id: existing._id }, { $set: { customerId: customer._id, name: input.name, phone, title: input.title } });
  if (phone !== existing.phone) await unbindWeChatUsers(id);
  return getContact(id);
}

export async function deleteContact(id: string): Promise<void> {
  const existing = await findContactDoc(id);
  await Contact.deleteOne({ _id: existing._id });
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
