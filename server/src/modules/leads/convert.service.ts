// 线索转化: a lead becomes a customer (or is attached to an existing one), a contact and, when asked,
// an opportunity — in one step. Without transactions, every record it writes has an `_id` derived
// from the lead, each write is idempotent, and the lead is marked converted last: a retried or
// resumed conversion finds what an earlier attempt wrote and creates nothing twice. The attempt
// itself is a leased claim (lib/once.ts): two conversions of one lead at the same moment have
// one winner; a crashed one is taken over, with its own plan, after its lease runs out.
import { createHash } from 'node:crypto';
import type { LeadConvert, LeadConvertResult } from '@qiao/shared';
import mongoose from 'mongoose';
import { badRequest, conflict, notFound } from '../../errors.js';
import { chinaDayStart } from '../../lib/china-time.js';
import { claimLease, finishLease, OnceClaim, releaseLease } from '../../lib/once.js';
import {
  claimPoolCustomerForLead,
  customerForConversion,
  ensureContactForLead,
  ensureCustomerForLead,
  type CustomerForConversion,
} from '../customers/lead-conversion.js';
import { customerVisibility, recordOwnershipEvent } from '../customers/customer-visibility.js';
import { setCustomerCollaborators } from '../customers/ownership.service.js';
import { linkFollowerToContact } from '../identity/lead-contact-link.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { syncLeadFollowDue } from './follow-record.dues.js';
import { departmentOfStaff, leadToWork, leadViewOf } from './lead-access.js';
import { Lead, type LeadDoc } from './lead.model.js';
import { Opportunity } from './opportunity.model.js';
import { isDuplicateKey } from '../../lib/db.js';

const LEASE_MS = 30_000;
const KEEP_MS = 7 * 24 * 3600_000;

/** The `_id`s a lead's conversion writes: the same for every attempt at it. */
export function conversionIds(leadId: string): { customerId: string; contactId: string; opportunityId: string } {
  const id = (role: string) => createHash('sha256').update(`lead-convert:${leadId}:${role}`).digest('hex').slice(0, 24);
  return { customerId: id('customer'), contactId: id('contact'), opportunityId: id('opportunity') };
}

/** What a conversion does, fixed before anything is written (and kept with its claim). */
export interface ConversionPlan {
  mode: 'new' | 'attach';
  customerId: string;
  customer: NonNullable<LeadConvert['customer']> | null;
  contact: LeadConvert['contact'];
  opportunity: { name: string; amount: number; expectedCloseAt: string | null } | null;
  ownerId: string;
  department: string;
  /** Who converts (the ownership history names them). */
  byStaffId: string;
  /** Attaching to a customer in the pool: it is claimed by the lead's owner. */
  fromPool: boolean;
}

export const alreadyConverted = () => conflict('LEAD_ALREADY_CONVERTED', '该线索已转化，不能重复转化');
export const leadClosed = () => conflict('LEAD_CLOSED', '该线索已关闭，请先重新打开');

export function assertOpen(lead: Pick<LeadDoc, 'status'>): void {
  if (lead.status === 'converted') throw alreadyConverted();
  if (lead.status === 'closed') throw leadClosed();
}

const customerNotFound = () => notFound('CUSTOMER_NOT_FOUND', '客户不存在或已被删除');

/** Whether the viewer may attach a lead to this customer: they see it, or it is in the pool. */
async function mayAttach(viewer: StaffPrincipal, customer: CustomerForConversion): Promise<boolean> {
  return customer.ownerId === null || (await customerVisibility(viewer)).canSee(customer);
}

async function planConversion(viewer: StaffPrincipal, lead: LeadDoc, input: LeadConvert): Promise<ConversionPlan> {
  const ownerId = lead.ownerId;
  if (!ownerId) throw badRequest('LEAD_NOT_ASSIGNED', '请先将线索分配给销售人员：转化后的客户需要专管业务员');
  const department = await departmentOfStaff(ownerId);
  const opportunity = input.opportunity
    ? { name: input.opportunity.name, amount: input.opportunity.amount, expectedCloseAt: input.opportunity.expectedCloseAt }
    : null;
  const common = { contact: input.contact, opportunity, ownerId, department, byStaffId: viewer.staffId };
  if (input.customerId) {
    const customer = await customerForConversion(input.customerId);
    if (!customer || !(await mayAttach(viewer, customer))) throw customerNotFound();
    return { ...common, mode: 'attach', customerId: customer.id, customer: null, fromPool: customer.ownerId === null };
  }
  if (!input.customer) throw badRequest('VALIDATION_FAILED', '请选择关联已有客户，或填写新客户信息');
  return { ...common, mode: 'new', customerId: conversionIds(String(lead._id)).customerId, customer: input.customer, fromPool: false };
}

/** The steps, each idempotent, the lead last. */
async function carryOut(lead: LeadDoc, plan: ConversionPlan, now: Date, wrote: () => void): Promise<Omit<LeadConvertResult, 'lead'>> {
  const leadId = String(lead._id);
  const ids = conversionIds(leadId);
  if (plan.mode === 'new' && plan.customer) {
    wrote();
    await ensureCustomerForLead({
      id: plan.customerId,
      ...plan.customer,
      ownerId: plan.ownerId,
      department: plan.department,
      lead: {
        leadId,
        campaignId: lead.campaignId ?? null,
        campaignName: lead.campaignName ?? null,
        sharePath: (lead.sharePath ?? []).map((entry) => ({ token: entry.token, kind: entry.kind, ownerId: entry.ownerId, name: entry.name })),
      },
      at: now,
    });
    // The lead's collaborators keep working it as the customer's; keyed events are written once.
    if ((lead.collaboratorIds ?? []).length > 0) await setCustomerCollaborators(plan.customerId, [...(lead.collaboratorIds ?? [])]);
    await recordOwnershipEvent({
      key: `convert:${leadId}`,
      customerId: plan.customerId,
      kind: 'convert',
      fromOwnerId: null,
      toOwnerId: plan.ownerId,
      reason: '线索转化',
      byStaffId: plan.byStaffId,
      department: plan.department,
      at: now,
    });
  } else if (plan.fromPool) {
    wrote();
    if (!(await claimPoolCustomerForLead(plan.customerId, plan.ownerId, plan.department, now))) {
      throw conflict('CUSTOMER_CLAIMED', '该客户刚被其他人申领，请重新选择');
    }
    await recordOwnershipEvent({
      key: `convert-claim:${leadId}`,
      customerId: plan.customerId,
      kind: 'claim',
      fromOwnerId: null,
      toOwnerId: plan.ownerId,
      reason: '线索转化时关联公海客户',
      byStaffId: plan.byStaffId,
      department: plan.department,
      at: now,
    });
  }
  wrote();
  const contactId = await ensureContactForLead({ id: ids.contactId, customerId: plan.customerId, ...plan.contact, reuseSamePhone: plan.mode === 'attach' });
  // A lead from an Official Account conversation: the follower becomes the contact's WeChat identity.
  if (lead.wechatUserId) await linkFollowerToContact(lead.wechatUserId, contactId);
  let opportunityId: string | null = null;
  if (plan.opportunity) {
    try {
      await Opportunity.create({
        _id: new mongoose.Types.ObjectId(ids.opportunityId),
        name: plan.opportunity.name,
        customerId: plan.customerId,
        contactId,
        leadId,
        ownerId: plan.ownerId,
        department: plan.department,
        stage: 'open',
        amount: plan.opportunity.amount,
        expectedCloseAt: plan.opportunity.expectedCloseAt ? chinaDayStart(plan.opportunity.expectedCloseAt) : null,
        source: lead.source,
        campaignId: lead.campaignId ?? null,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    opportunityId = ids.opportunityId;
  }
  await Lead.updateOne(
    { _id: lead._id },
    { $set: { status: 'converted', convertedAt: now, customerId: plan.customerId, contactId, opportunityId } },
  );
  await syncLeadFollowDue(leadId);
  return { customerId: plan.customerId, contactId, opportunityId, attached: plan.mode === 'attach' };
}

/** A plan kept with a crashed attempt's claim (null when it is not one). */
function keptPlan(data: Record<string, unknown> | null | undefined): ConversionPlan | null {
  const plan = data?.plan as ConversionPlan | undefined;
  return plan && (plan.mode === 'new' || plan.mode === 'attach') && typeof plan.customerId === 'string' ? plan : null;
}

/** The claim key of a lead's conversion (close.service.ts checks it too). */
export const conversionKey = (leadId: string) => `lead-convert:${leadId}`;

export async function convertLead(viewer: StaffPrincipal, leadId: string, input: LeadConvert, now = new Date()): Promise<LeadConvertResult> {
  const lead = await leadToWork(viewer, leadId);
  assertOpen(lead);
  const fresh = await planConversion(viewer, lead, input);
  const attempt = await claimLease(conversionKey(leadId), { leaseMs: LEASE_MS, keepMs: KEEP_MS, data: { plan: fresh } });
  if (attempt.kind === 'done') throw alreadyConverted();
  if (attempt.kind === 'busy') throw conflict('LEAD_CONVERTING', '该线索正在转化中，请稍后刷新查看');
  // Taking over a crashed attempt: finish what it set out to do, not something else beside it.
  const kept = keptPlan(attempt.abandoned?.data);
  const plan = kept ?? fresh;
  // The claim carries the plan being carried out, for whoever takes this attempt over in turn.
  if (kept) await OnceClaim.updateOne({ _id: attempt.claim.id }, { $set: { data: { plan: kept } } });
  let wroteSomething = false;
  try {
    const result = await carryOut(lead, plan, now, () => void (wroteSomething = true));
    await finishLease(attempt.claim, result);
    return { ...result, lead: await leadViewOf(leadId) };
  } catch (error) {
    // Nothing written: the next attempt may start afresh at once. Otherwise it resumes this plan
    // once the lease runs out.
    if (!wroteSomething) await releaseLease(attempt.claim);
    throw error;
  }
}
