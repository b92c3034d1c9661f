// Bulk writes and reads of the import (imports module): customers with their contacts and devices
// inserted in batches under ids the import derives from its rows (so a re-run writes nothing
// twice), contacts and devices added to existing customers (已追加) the same way, their search
// keys, and removal of what an import wrote (roll back) — never of a customer it did not create.
import mongoose from 'mongoose';
import { isDuplicateKey } from '../../lib/db.js';
import { addSearchKeys, removeSearchKeys, type RecordKeys } from '../../lib/search.js';
import { syncCustomerFollowDues } from '../leads/follow-record.dues.js';
import { Contact } from './contact.model.js';
import { nextGeneratedCode } from './customer.service.js';
import { Customer } from './customer.model.js';
import { ProductArchive } from './product-archive.model.js';
import { contactSearchKeys, customerSearchKeys, productSearchKeys } from './search.service.js';

type Id = mongoose.Types.ObjectId;

export interface ImportedCustomer {
  _id: Id;
  /** '' to generate one (KH…) at insert time. */
  code: string;
  name: string;
  region: string;
  industry: string;
  grade: string;
  address: string;
  phone: string;
  department: string;
  ownerId: string | null;
  importId: string;
  /** Duplicate-check keys (leads/duplicate.service.ts), written with the record. */
  dupKeys: string[];
}

export interface ImportedContact {
  _id: Id;
  /** The new customer's id, or the existing customer's the group is added to. */
  customerId: Id;
  /** The group's key (its new customer's derived id, also when added to an existing one): failures are reported per group. Not stored. */
  groupId: Id;
  name: string;
  phone: string;
  title: string;
  department: string;
}

export interface ImportedDevice {
  _id: Id;
  customerId: Id;
  groupId: Id;
  serialNumber: string;
  model: string;
  productLine: string;
  installedAt: Date;
  warrantyEndsAt: Date;
  address: string;
  department: string;
}

export interface ImportBatch {
  /** Customers created (an existing customer a group is added to is never in here). */
  customers: ImportedCustomer[];
  contacts: ImportedContact[];
  devices: ImportedDevice[];
}

/** Concurrency of single-key lookups: the embedded database serves each from an index. */
const LOOKUP_PARALLEL = 8;

async function eachLimited<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(LOOKUP_PARALLEL, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}

/**
 * Which of `values` records of `model` already hold in `field` (unique): value → record id. Few
 * values: one indexed lookup each. Many against a collection not much bigger: one read of the
 * field over the whole collection is cheaper than thousands of lookups.
 */
async function holders(model: mongoose.Model<any>, field: string, values: string[]): Promise<Map<string, string>> {
  const wanted = new Set(values);
  const found = new Map<string, string>();
  if (wanted.size === 0) return found;
  if (wanted.size >= 200 && (await model.estimatedDocumentCount()) <= wanted.size * 20) {
    for await (const doc of model.find({}, { [field]: 1 }).lean<Array<{ _id: Id } & Record<string, unknown>>>().cursor()) {
      const value = doc[field];
      if (typeof value === 'string' && wanted.has(value)) found.set(value, String(doc._id));
    }
    return found;
  }
  await eachLimited([...wanted], async (value) => {
    const doc = await model.findOne({ [field]: value }, { _id: 1 }).lean<{ _id: Id }>();
    if (doc) found.set(value, String(doc._id));
  });
  return found;
}

/** Which of `codes` customers already hold: code → that customer's id. */
export const customerIdsByCode = (codes: string[]) => holders(Customer, 'code', codes);

/** Which of `serials` devices already hold: serial number → that device's id. */
export const productIdsBySerial = (serials: string[]) => holders(ProductArchive, 'serialNumber', serials);

/** Codes and names of customers by id (to name a duplicate: 与客户 KH000012 蓝鲸科技 重复). */
export async function customerCodesAndNames(ids: string[]): Promise<Map<string, { code: string; name: string }>> {
  const found = new Map<string, { code: string; name: string }>();
  await eachLimited([...new Set(ids)].filter((id) => mongoose.isObjectIdOrHexString(id)), async (id) => {
    const doc = await Customer.findById(id, { code: 1, name: 1 }).lean<{ code: string; name: string }>();
    if (doc) found.set(id, { code: doc.code, name: doc.name });
  });
  return found;
}

/** What attaching a group to an existing customer needs to know of it (by id, batched). */
export interface AttachableCustomer {
  id: string;
  code: string;
  name: string;
  ownerId: string | null;
  collaboratorIds: string[];
  department: string;
  /** The import that created it, if any. */
  importId: string | null;
}

export async function customersToAttach(ids: string[]): Promise<Map<string, AttachableCustomer>> {
  const wanted = [...new Set(ids)].filter((id) => mongoose.isObjectIdOrHexString(id));
  const found = new Map<string, AttachableCustomer>();
  if (wanted.length === 0) return found;
  const docs = await Customer.find({ _id: { $in: wanted } }, { code: 1, name: 1, ownerId: 1, collaboratorIds: 1, department: 1, importId: 1 }).lean<
    Array<{ _id: Id; code: string; name: string; ownerId?: string | null; collaboratorIds?: string[] | null; department?: string | null; importId?: string | null }>
  >();
  for (const doc of docs) {
    found.set(String(doc._id), {
      id: String(doc._id),
      code: doc.code,
      name: doc.name,
      ownerId: doc.ownerId ?? null,
      collaboratorIds: [...(doc.collaboratorIds ?? [])],
      department: doc.department ?? '',
      importId: doc.importId ?? null,
    });
  }
  return found;
}

/** The contacts customers already have: customer id → phone → contact id (one indexed `$in`). */
export async function contactPhonesOf(customerIds: string[]): Promise<Map<string, Map<string, string>>> {
  const found = new Map<string, Map<string, string>>();
  const wanted = [...new Set(customerIds)].filter((id) => mongoose.isObjectIdOrHexString(id));
  if (wanted.length === 0) return found;
  const docs = await Contact.find({ customerId: { $in: wanted } }, { customerId: 1, phone: 1 }).lean<Array<{ _id: Id; customerId: Id; phone: string }>>();
  for (const doc of docs) {
    const phones = found.get(String(doc.customerId)) ?? new Map<string, string>();
    if (!phones.has(doc.phone)) phones.set(doc.phone, String(doc._id));
    found.set(String(doc.customerId), phones);
  }
  return found;
}

/** Indexes (in `docs`) of the documents an unordered insert did not write for a reason other than their own `_id` existing. */
async function insertUnordered<T extends { _id: Id }>(model: mongoose.Model<any>, docs: T[]): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    // Lean (no hydration or validation: rows were checked with the shared schemas), but with the
    // schema's defaults, which a lean insert would otherwise leave out (locked, collaboratorIds …).
    await model.insertMany(
      docs.map((doc) => model.applyDefaults({ ...doc })),
      { ordered: false, lean: true },
    );
    return new Set();
  } catch (error) {
    const raw = (error as { writeErrors?: unknown }).writeErrors;
    const list = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Array<{ index?: number; err?: { index?: number } }>;
    if (list.length === 0 && !isDuplicateKey(error)) throw error;
    const indexes = list.map((e) => e.index ?? e.err?.index ?? -1);
    const suspects = indexes.length > 0 && indexes.every((i) => i >= 0) ? indexes : docs.map((_, i) => i);
    // A document whose own _id exists is one an earlier run wrote: that is a success.
    const failed = new Set<number>();
    await eachLimited(suspects, async (i) => {
      if (!(await model.exists({ _id: docs[i]!._id }))) failed.add(i);
    });
    return failed;
  }
}

export interface BatchOutcome {
  /** Groups (their `groupId`s) that could not be written: their code or a device's serial number was taken meanwhile. */
  failedCustomers: Set<string>;
}

/**
 * Writes a batch: customers first (a roll back finds everything through them), then contacts and
 * devices. A customer whose code or device could not be written is reported failed — the caller
 * rolls its group back. Generated codes that collide are drawn again.
 */
export async function insertImportBatch(batch: ImportBatch, now: Date): Promise<BatchOutcome> {
  const failedCustomers = new Set<string>();
  const customers = [];
  for (const c of batch.customers) {
    customers.push({
      ...c,
      code: c.code || (await nextGeneratedCode()),
      ownerSince: c.ownerId ? now : null,
      source: 'import',
      createdAt: now,
      updatedAt: now,
    });
  }
  let pending = customers;
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    const failed = await insertUnordered(Customer, pending);
    const retry = [];
    for (const i of failed) {
      const doc = pending[i]!;
      const generated = !batch.customers.find((c) => c._id.equals(doc._id))?.code;
      if (generated && attempt < 5) retry.push({ ...doc, code: await nextGeneratedCode() });
      else failedCustomers.add(String(doc._id));
    }
    pending = retry;
  }
  const ok = (groupId: Id) => !failedCustomers.has(String(groupId));
  const contactRows = batch.contacts.filter((c) => ok(c.groupId));
  const deviceRows = batch.devices.filter((d) => ok(d.groupId));
  const contacts = contactRows.map(({ groupId: _group, ...c }) => ({ ...c, tags: [], createdAt: now, updatedAt: now }));
  const devices = deviceRows.map(({ groupId: _group, ...d }) => ({ ...d, createdAt: now, updatedAt: now }));
  const [failedContacts, failedDevices] = await Promise.all([insertUnordered(Contact, contacts), insertUnordered(ProductArchive, devices)]);
  for (const i of failedContacts) failedCustomers.add(String(contactRows[i]!.groupId));
  for (const i of failedDevices) failedCustomers.add(String(deviceRows[i]!.groupId));
  return { failedCustomers };
}

/**
 * Search keys of a written batch: customers read back (a re-run may find codes drawn earlier), the
 * rest as written. Added, not replaced: the records are new (or rolled back with their keys), and
 * keys have derived ids, so a re-run adds nothing twice — and no `ref $in` delete scans the keys.
 */
export async function writeImportSearchKeys(batch: ImportBatch): Promise<void> {
  const ids = batch.customers.map((c) => c._id);
  const customers = ids.length > 0 ? await Customer.find({ _id: { $in: ids } }, { name: 1, code: 1, phone: 1 }).lean<Array<{ _id: Id; name: string; code: string; phone?: string }>>() : [];
  const written = new Set(customers.map((c) => String(c._id)));
  // A contact or device added to an existing customer (groupId ≠ customerId) was written with its group.
  const kept = (row: { customerId: Id; groupId: Id }) => written.has(String(row.customerId)) || !row.customerId.equals(row.groupId);
  const records: RecordKeys[] = [
    ...customers.map((doc) => ({ ref: String(doc._id), keys: customerSearchKeys(doc) })),
    ...batch.contacts.filter(kept).map((doc) => ({ ref: String(doc._id), keys: contactSearchKeys(doc) })),
    ...batch.devices.filter(kept).map((doc) => ({ ref: String(doc._id), keys: productSearchKeys(doc) })),
  ];
  if (records.length > 0) await addSearchKeys(records);
}

/**
 * Removes records an import wrote, by their ids (children first: a crash here leaves customers a
 * later roll back still finds). `customers` are only ever customers the import created: contacts
 * and devices it added to an existing customer are removed by their own ids, the customer stays.
 */
export async function removeImportedRecords(ids: { customers: Id[]; contacts: Id[]; devices: Id[] }): Promise<void> {
  const chunks = <T>(list: T[]) => Array.from({ length: Math.ceil(list.length / 500) }, (_, i) => list.slice(i * 500, i * 500 + 500));
  for (const part of chunks(ids.contacts)) await Contact.deleteMany({ _id: { $in: part } });
  for (const part of chunks(ids.devices)) await ProductArchive.deleteMany({ _id: { $in: part } });
  for (const part of chunks(ids.customers)) await Customer.deleteMany({ _id: { $in: part } });
  // One indexed delete per record (a `ref $in` delete would scan every key).
  await eachLimited([...ids.customers, ...ids.contacts, ...ids.devices], (ref) => removeSearchKeys(String(ref)));
  // A follow-up dated on a customer of the import meanwhile (its rows go: the customer is gone).
  for (const part of chunks(ids.customers)) await syncCustomerFollowDues(part.map(String));
}

/** Everything an import wrote (found through its customers' `importId`) removed; the customers' ids. */
export async function removeImport(importId: string): Promise<string[]> {
  const customers = await Customer.find({ importId }, { _id: 1 }).lean<Array<{ _id: Id }>>();
  const ids = customers.map((c) => c._id);
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    const [contacts, devices] = await Promise.all([
      Contact.find({ customerId: { $in: part } }, { _id: 1 }).lean<Array<{ _id: Id }>>(),
      ProductArchive.find({ customerId: { $in: part } }, { _id: 1 }).lean<Array<{ _id: Id }>>(),
    ]);
    await removeImportedRecords({ customers: part, contacts: contacts.map((c) => c._id), devices: devices.map((d) => d._id) });
  }
  return ids.map(String);
}

/** What an import created, counted from the database (tests and the report's sanity check). */
export async function countImported(importId: string): Promise<{ customers: number; contacts: number; devices: number }> {
  const customers = await Customer.find({ importId }, { _id: 1 }).lean<Array<{ _id: Id }>>();
  const ids = customers.map((c) => c._id);
  if (ids.length === 0) return { customers: 0, contacts: 0, devices: 0 };
  const [contacts, devices] = await Promise.all([
    Contact.countDocuments({ customerId: { $in: ids } }),
    ProductArchive.countDocuments({ customerId: { $in: ids } }),
  ]);
  return { customers: ids.length, contacts, devices };
}
