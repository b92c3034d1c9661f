// What the duplicate check (撞单, leads/duplicate.service.ts) reads of customers and their contacts,
// and where it stores a customer's duplicate keys. Read by id, batched.
import { isObjectIdString } from '../../lib/db.js';
import { Contact } from './contact.model.js';
import { Customer } from './customer.model.js';

export interface CustomerDuplicateSource {
  id: string;
  /** The company name. */
  name: string;
  phone: string;
  ownerId: string | null;
  collaboratorIds: string[];
  department: string;
  createdAt: Date;
  contacts: Array<{ name: string; phone: string }>;
}

type CustomerRow = {
  _id: unknown;
  name: string;
  phone?: string | null;
  ownerId?: string | null;
  collaboratorIds?: string[] | null;
  department?: string | null;
  createdAt: Date;
};

/** Customers with their contacts' names and phones, in two queries. */
export async function customerDuplicateSources(ids: Iterable<string>): Promise<CustomerDuplicateSource[]> {
  const wanted = [...new Set([...ids].filter((id) => isObjectIdString(id)))];
  if (wanted.length === 0) return [];
  const [customers, contacts] = await Promise.all([
    Customer.find({ _id: { $in: wanted } }, { name: 1, phone: 1, ownerId: 1, collaboratorIds: 1, department: 1, createdAt: 1 }).lean<CustomerRow[]>(),
    Contact.find({ customerId: { $in: wanted } }, { customerId: 1, name: 1, phone: 1 }).lean<Array<{ customerId: unknown; name: string; phone: string }>>(),
  ]);
  const byCustomer = new Map<string, Array<{ name: string; phone: string }>>();
  for (const contact of contacts) {
    const key = String(contact.customerId);
    byCustomer.set(key, [...(byCustomer.get(key) ?? []), { name: contact.name, phone: contact.phone }]);
  }
  return customers.map((doc) => ({
    id: String(doc._id),
    name: doc.name,
    phone: doc.phone ?? '',
    ownerId: doc.ownerId ?? null,
    collaboratorIds: [...(doc.collaboratorIds ?? [])],
    department: doc.department ?? '',
    createdAt: doc.createdAt,
    contacts: byCustomer.get(String(doc._id)) ?? [],
  }));
}

/** The customer a contact belongs to (for key upkeep after a contact write). */
export async function customerIdOfContact(contactId: string): Promise<string | null> {
  if (!isObjectIdString(contactId)) return null;
  const doc = await Contact.findById(contactId, { customerId: 1 }).lean<{ customerId: unknown }>();
  return doc ? String(doc.customerId) : null;
}

/** Keeps the customer's `dupKeys` field in step (the lookups themselves go through `search_terms`). */
export async function storeCustomerDuplicateKeys(customerId: string, keys: string[]): Promise<void> {
  await Customer.updateOne({ _id: customerId }, { $set: { dupKeys: keys } }, { timestamps: false });
}
