// 线索转化 on the customers' side: the customer and contact a converted lead becomes, written with
// ids the caller derives from the lead (leads/convert.service.ts), so that a retried or resumed
// conversion finds what an earlier attempt wrote instead of writing it twice.
import { normalizePhone } from '@qiao/shared';
import mongoose from 'mongoose';
import { conflict } from '../../errors.js';
import { isDuplicateKey, isObjectIdString } from '../../lib/db.js';
import { findOnce, takeOnce } from '../../lib/once.js';
import { moveCustomerRequests } from '../service/request-department.js';
import { Contact, type ContactDoc } from './contact.model.js';
import { moveCustomerContacts } from './contact.service.js';
import { moveCustomerProducts } from './product-archive.service.js';
import { Customer, type CustomerDoc } from './customer.model.js';
import { nextGeneratedCode } from './customer.service.js';
import { assertBelowCap, holdCap, limitsOf, ownerCandidate } from './pool-rules.js';
import { refreshContactSearch, refreshCustomerSearch } from './search.service.js';

export interface LeadAttribution {
  leadId: string;
  campaignId: string | null;
  campaignName: string | null;
  sharePath: Array<{ token: string; kind: string; ownerId: string; name: string }>;
}

export interface LeadCustomerInput {
  /** The customer's `_id` (derived from the lead). */
  id: string;
  name: string;
  region: string;
  industry: string;
  grade: string;
  address: string;
  phone: string;
  ownerId: string;
  department: string;
  lead: LeadAttribution;
  at: Date;
}

const exists = async (id: string) => (await Customer.exists({ _id: id })) !== null;

/**
 * The customer of a converted lead: owned by the lead's owner, in the owner's department, with the
 * lead's campaign and share path. Written once: a second call with the same id finds it.
 * Returns whether this call created it.
 */
export async function ensureCustomerForLead(input: LeadCustomerInput): Promise<boolean> {
  if (await exists(input.id)) return false;
  const doc = {
    _id: new mongoose.Types.ObjectId(input.id),
    name: input.name,
    region: input.region,
    industry: input.industry,
    grade: input.grade,
    address: input.address,
    phone: input.phone,
    department: input.department,
    ownerId: input.ownerId,
    ownerSince: input.at,
    source: 'lead' as const,
    leadId: input.lead.leadId,
    campaignId: input.lead.campaignId,
    campaignName: input.lead.campaignName,
    sharePath: input.lead.sharePath,
  };
  // Generated codes as createCustomer makes them: the unique index on `code` decides, and a
  // refusal on `_id` means another attempt at this conversion wrote the customer first.
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const code = await nextGeneratedCode();
    if (await Customer.exists({ code })) continue;
    try {
      await Customer.create({ ...doc, code });
      await refreshCustomerSearch(input.id);
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      if (await exists(input.id)) {
        await refreshCustomerSearch(input.id);
        return false;
      }
    }
  }
  throw conflict('CUSTOMER_CODE_TAKEN', '无法生成客户编码，请稍后重试');
}

/** What a conversion needs to know of a customer it attaches a lead to. */
export interface CustomerForConversion {
  id: string;
  name: string;
  ownerId: string | null;
  collaboratorIds: string[];
  department: string;
}

export async function customerForConversion(id: string): Promise<CustomerForConversion | null> {
  const doc = isObjectIdString(id)
    ? await Customer.findById(id, { name: 1, ownerId: 1, collaboratorIds: 1, department: 1 }).lean<Pick<CustomerDoc, '_id' | 'name' | 'ownerId' | 'collaboratorIds' | 'department'>>()
    : null;
  if (!doc) return null;
  return { id: String(doc._id), name: doc.name, ownerId: doc.ownerId ?? null, collaboratorIds: [...(doc.collaboratorIds ?? [])], department: doc.department ?? '' };
}

export interface LeadContactInput {
  /** The contact's `_id` when one is made (derived from the lead). */
  id: string;
  customerId: string;
  name: string;
  phone: string;
  title: string;
  /** Attaching to an existing customer: a contact of it with the same phone is the contact. */
  reuseSamePhone: boolean;
}

/** The contact of a converted lead: made once, or (attaching) the customer's contact with that phone. */
export async function ensureContactForLead(input: LeadContactInput): Promise<string> {
  const customerId = new mongoose.Types.ObjectId(input.customerId);
  const phone = normalizePhone(input.phone);
  if (input.reuseSamePhone) {
    const [same] = await Contact.find({ customerId, phone }, { _id: 1 }).sort({ createdAt: 1, _id: 1 }).limit(1).lean<Array<Pick<ContactDoc, '_id'>>>();
    if (same) return String(same._id);
  }
  const department = (await Customer.findById(customerId, { department: 1 }).lean<Pick<CustomerDoc, 'department'>>())?.department ?? '';
  try {
    await Contact.create({ _id: new mongoose.Types.ObjectId(input.id), customerId, department, name: input.name, phone, title: input.title, tags: [] });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  await refreshContactSearch(input.id);
  return input.id;
}

/**
 * A pool customer (no owner) a lead is attached to becomes the lead owner's. The pool's own claim
 * decides who wins: the insert of `pool-claim:<customerId>:<poolGeneration>` (one winner per stay
 * in the pool). Returns whether the customer now belongs to `ownerId`.
 * The same arbiter as 申领 (`pool-claim:<id>:<generation>`, pool.service.ts), and the owner's cap
 * (公海规则) is checked before a first claim; a resumed conversion that already holds it goes on.
 */
export async function claimPoolCustomerForLead(customerId: string, ownerId: string, department: string, at: Date): Promise<boolean> {
  const doc = await Customer.findById(customerId, { ownerId: 1, poolGeneration: 1, department: 1 }).lean<Pick<CustomerDoc, '_id' | 'ownerId' | 'poolGeneration' | 'department'>>();
  if (!doc) return false;
  if (doc.ownerId !== null && doc.ownerId !== undefined) return doc.ownerId === ownerId;
  const generation = doc.poolGeneration ?? 0;
  const key = `pool-claim:${customerId}:${generation}`;
  const owner = await ownerCandidate(ownerId);
  if ((await findOnce(key))?.data?.staffId !== ownerId) await assertBelowCap(owner, 1, '线索负责人');
  if (!(await takeOnce(key, { keepMs: 365 * 24 * 3600_000, data: { staffId: ownerId }, now: at }))) {
    // Taken before: by this conversion's earlier attempt (then finish its write), or by someone else.
    const held = await findOnce(key);
    if (held?.data?.staffId !== ownerId) return false;
  }
  await Customer.updateOne({ _id: customerId }, { $set: { ownerId, ownerSince: at, department, poolReminderAt: null } });
  // Parallel moves to the same owner went past the cap: back into the pool as a new generation.
  await holdCap(
    ownerId,
    (await limitsOf(owner)).maxOwned,
    () => Customer.updateOne({ _id: customerId }, { $set: { ownerId: null, ownerSince: null, department: doc.department ?? '', poolGeneration: generation + 1 } }),
    '线索负责人',
  );
  // Contacts, devices and requests carry the customer's department: they follow it.
  if (department !== (doc.department ?? '')) {
    await Promise.all([moveCustomerContacts(doc._id, department), moveCustomerProducts(doc._id, department), moveCustomerRequests(customerId, department)]);
  }
  return true;
}
