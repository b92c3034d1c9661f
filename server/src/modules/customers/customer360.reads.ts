// What the sales modules read of customers for follow-ups and the 360 view: ownership cards by
// id, a salesperson's customers, a customer's contacts and devices. Read-only, batched.
import { isObjectIdString } from '../../lib/db.js';
import { Contact, type ContactDoc } from './contact.model.js';
import { Customer, type CustomerDoc } from './customer.model.js';
import { ProductArchive, type ProductArchiveDoc } from './product-archive.model.js';

export interface CustomerOwnerCard {
  id: string;
  name: string;
  ownerId: string | null;
  collaboratorIds: string[];
  department: string;
}

const CARD = { name: 1, ownerId: 1, collaboratorIds: 1, department: 1 } as const;
type CardDoc = Pick<CustomerDoc, '_id' | 'name' | 'ownerId' | 'collaboratorIds' | 'department'>;

const cardOf = (doc: CardDoc): CustomerOwnerCard => ({
  id: String(doc._id),
  name: doc.name,
  ownerId: doc.ownerId ?? null,
  collaboratorIds: [...(doc.collaboratorIds ?? [])],
  department: doc.department ?? '',
});

/** Customers' names, owners and departments by id, in one query. */
export async function customerOwnerCards(ids: Iterable<string | null | undefined>): Promise<Map<string, CustomerOwnerCard>> {
  const unique = [...new Set([...ids].filter((id): id is string => isObjectIdString(id)))];
  if (unique.length === 0) return new Map();
  const docs = await Customer.find({ _id: { $in: unique } }, CARD).lean<CardDoc[]>();
  return new Map(docs.map((doc) => [String(doc._id), cardOf(doc)]));
}

export async function customerOwnerCard(id: string): Promise<CustomerOwnerCard | null> {
  return (await customerOwnerCards([id])).get(id) ?? null;
}

/**
 * Ids of the customers a salesperson owns or shares: the owner by its index; the collaborators
 * with a read of the array field (few people share, and the caller caps what it does with them).
 */
export async function customerIdsOfSalesperson(staffId: string): Promise<string[]> {
  const [owned, shared] = await Promise.all([
    Customer.find({ ownerId: staffId }, { _id: 1 }).lean<Array<Pick<CustomerDoc, '_id'>>>(),
    Customer.find({ collaboratorIds: staffId }, { _id: 1 }).lean<Array<Pick<CustomerDoc, '_id'>>>(),
  ]);
  return [...new Set([...owned, ...shared].map((doc) => String(doc._id)))];
}

/** The whole customer document (the 360 header), or null. */
export async function customerForView(id: string): Promise<CustomerDoc | null> {
  return isObjectIdString(id) ? Customer.findById(id).lean<CustomerDoc>() : null;
}

/** A customer's contacts, newest first, at most `limit`, and how many there are. */
export async function contactsOfCustomer(customerId: string, limit: number): Promise<{ items: ContactDoc[]; total: number }> {
  const [items, total] = await Promise.all([
    Contact.find({ customerId }).sort({ createdAt: -1 }).limit(limit).lean<ContactDoc[]>(),
    Contact.countDocuments({ customerId }),
  ]);
  return { items, total };
}

/** A customer's devices (product archives), newest first, at most `limit`, and how many there are. */
export async function devicesOfCustomer(customerId: string, limit: number): Promise<{ items: ProductArchiveDoc[]; total: number }> {
  const [items, total] = await Promise.all([
    ProductArchive.find({ customerId }).sort({ createdAt: -1 }).limit(limit).lean<ProductArchiveDoc[]>(),
    ProductArchive.countDocuments({ customerId }),
  ]);
  return { items, total };
}
