// What other modules read of customers, contacts and product archives — by id, batched so a list
// page costs one query per kind. They never touch this module's models.
import { isObjectIdString } from '../../lib/db.js';
import { Contact, type ContactDoc } from './contact.model.js';
import { Customer, type CustomerDoc } from './customer.model.js';
import { ProductArchive, type ProductArchiveDoc } from './product-archive.model.js';
import { contactIdsNamed } from './search.service.js';

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

/**
 * Contacts whose name contains `q` (at most `limit`): the spread module's search by person. Read
 * from the search keys (an index range), not a `$regex` scan of every contact.
 */
export async function contactIdsByName(q: string, limit = 200): Promise<string[]> {
  return contactIdsNamed(q, limit);
}

// ---- marketing segments (客户细分): bulk reads of only the fields the rules need ----

export interface SegmentContact {
  id: string;
  customerId: string;
  tags: string[];
}

/**
 * Every contact (id, customer, tags) — those with one of `tags` when given — in batches read
 * through one cursor: one pass over the collection however many contacts there are.
 */
export async function* contactBatches(options: { tags?: string[]; batchSize?: number } = {}): AsyncGenerator<SegmentContact[]> {
  const batchSize = options.batchSize ?? 2000;
  const filter = options.tags && options.tags.length > 0 ? { tags: { $in: options.tags } } : {};
  const cursor = Contact.find(filter, { customerId: 1, tags: 1 }).lean<Array<Pick<ContactDoc, '_id' | 'customerId' | 'tags'>>>().cursor({ batchSize });
  let batch: SegmentContact[] = [];
  for await (const doc of cursor as AsyncIterable<Pick<ContactDoc, '_id' | 'customerId' | 'tags'>>) {
    batch.push({ id: String(doc._id), customerId: String(doc.customerId), tags: [...(doc.tags ?? [])] });
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Ids of the customers in any of the regions / industries / grades given (each list OR-ed, lists AND-ed). */
export async function customerIdsMatching(rules: { regions?: string[]; industries?: string[]; grades?: string[] }): Promise<Set<string>> {
  const filter: Record<string, unknown> = {};
  if (rules.regions?.length) filter.region = { $in: rules.regions };
  if (rules.industries?.length) filter.industry = { $in: rules.industries };
  if (rules.grades?.length) filter.grade = { $in: rules.grades };
  const docs = await Customer.find(filter, { _id: 1 }).lean<Array<Pick<CustomerDoc, '_id'>>>();
  return new Set(docs.map((doc) => String(doc._id)));
}

/** Ids of the customers owning a device of one of the product lines (product archives). */
export async function customerIdsOwningProductLines(productLines: string[]): Promise<Set<string>> {
  if (productLines.length === 0) return new Set();
  const docs = await ProductArchive.find({ productLine: { $in: productLines } }, { customerId: 1 }).lean<Array<Pick<ProductArchiveDoc, 'customerId'>>>();
  return new Set(docs.map((doc) => String(doc.customerId)));
}

export interface ContactWithCustomer {
  name: string;
  customerName: string;
  region: string;
}

/** Contacts' names with their customer's name and region (segment samples), in two queries. */
export async function contactsWithCustomers(ids: string[]): Promise<Map<string, ContactWithCustomer>> {
  const unique = validIds(ids);
  if (unique.length === 0) return new Map();
  const contacts = await Contact.find({ _id: { $in: unique } }, { name: 1, customerId: 1 }).lean<Array<Pick<ContactDoc, '_id' | 'name' | 'customerId'>>>();
  const customerIds = [...new Set(contacts.map((c) => String(c.customerId)))];
  const customers = await Customer.find({ _id: { $in: customerIds } }, { name: 1, region: 1 }).lean<Array<Pick<CustomerDoc, '_id' | 'name' | 'region'>>>();
  const byId = new Map(customers.map((c) => [String(c._id), c]));
  return new Map(
    contacts.map((c) => {
      const customer = byId.get(String(c.customerId));
      return [String(c._id), { name: c.name, customerName: customer?.name ?? '', region: customer?.region ?? '' }];
    }),
  );
}
