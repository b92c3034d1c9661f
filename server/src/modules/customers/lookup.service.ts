// What other modules read of customers, contacts and product archives — by id, batched so a list
// page costs one query per kind. They never touch this module's models.
import { isObjectIdString } from '../../lib/db.js';
import { searchFilter } from '../../lib/query.js';
import { Contact, type ContactDoc } from './contact.model.js';
import { Customer, type CustomerDoc } from './customer.model.js';
import { ProductArchive, type ProductArchiveDoc } from './product-archive.model.js';

export { customerNames } from './customer.service.js';

const validIds = (ids: Iterable<string | null | undefined>) =>
  [...new Set([...ids].filter((id): id is string => isObjectIdString(id)))];

export async function findCustomer(id: string | null | undefined): Promise<CustomerDoc | null> {
  return isObjectIdString(id) ? Customer.findById(id).lean<CustomerDoc>() : null;
}

export async function findContact(id: string | null | undefined): Promise<ContactDoc | null> {
  return isObjectIdString(id) ? Contact.findById(id).lean<ContactDoc>() : null;
}

export async function findProduct(id: string | null | undefined): Promise<ProductArchiveDoc | null> {
  return isObjectIdString(id) ? ProductArchive.findById(id).lean<ProductArchiveDoc>() : null;
}

export interface ContactCard {
  name: string;
  phone: string;
}

/** Contacts' names and phones by id, in one query. */
export async function contactsByIds(ids: Iterable<string | null | undefined>): Promise<Map<string, ContactCard>> {
  const unique = validIds(ids);
  if (unique.length === 0) return new Map();
  const docs = await Contact.find({ _id: { $in: unique } }, { name: 1, phone: 1 }).lean<Array<Pick<ContactDoc, '_id' | 'name' | 'phone'>>>();
  return new Map(docs.map((doc) => [String(doc._id), { name: doc.name, phone: doc.phone }]));
}

/** The ids of a customer's contacts. */
export async function contactIdsOfCustomer(customerId: string): Promise<string[]> {
  if (!isObjectIdString(customerId)) return [];
  const docs = await Contact.find({ customerId }, { _id: 1 }).lean<Array<Pick<ContactDoc, '_id'>>>();
  return docs.map((doc) => String(doc._id));
}

/** Archives whose warranty ends between `from` and `until` and whose reminder has not gone out. */
export async function productsDueWarrantyReminder(from: Date, until: Date): Promise<ProductArchiveDoc[]> {
  return ProductArchive.find({ warrantyReminderSentAt: null, warrantyEndsAt: { $gte: from, $lte: until } }).lean<ProductArchiveDoc[]>();
}

export async function markWarrantyReminderSent(productId: string, at: Date): Promise<void> {
  await ProductArchive.updateOne({ _id: productId }, { $set: { warrantyReminderSentAt: at } });
}

/** Contacts whose name contains `q` (at most `limit`): the spread module's search by person. */
export async function contactIdsByName(q: string, limit = 200): Promise<string[]> {
  const docs = await Contact.find(searchFilter(q, ['name']), { _id: 1 }).limit(limit).lean<Array<Pick<ContactDoc, '_id'>>>();
  return docs.map((doc) => String(doc._id));
}
