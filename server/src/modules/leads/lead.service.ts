// Leads (线索): made from campaign intents, listed, assigned to a salesperson, moved through their
// states. Who sees what: sales their own leads, managers and admins all, marketers the campaign leads.
import type { Lead as LeadView, LeadListQuery, LeadStatus, Paged } from '@qiao/shared';
import mongoose from 'mongoose';
import { badRequest, notFound } from '../../errors.js';
import { isDuplicateKey, isObjectIdString } from '../../lib/db.js';
import { flatFilter, paged, searchFilter, skipOf } from '../../lib/query.js';
import { findStaffProfile, staffByIds } from '../identity/lookup.service.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { Lead, LeadKey, type LeadDoc } from './lead.model.js';

export interface CampaignLeadInput {
  campaignId: string;
  campaignName: string;
  /** `<kind>:<id>` of the person: one lead per person per campaign. */
  personKey: string;
  shareToken: string;
  sharePath: Array<{ token: string; kind: 'contact' | 'staff' | 'wechat' | 'visitor'; ownerId: string; name: string }>;
  name: string;
  phone: string;
  company: string;
  products: string[];
  note?: string | undefined;
  /** The staff member at the root of the path when it is a staff hand-out: the lead is theirs. */
  ownerId: string | null;
}

/** The lead of a campaign intent: created on the person's first intent, updated on the next ones. */
export async function recordCampaignLead(input: CampaignLeadInput, now = new Date()): Promise<{ leadId: string; created: boolean }> {
  const keyId = `${input.campaignId}:${input.personKey}`;
  const leadId = new mongoose.Types.ObjectId().toHexString();
  const contact = { name: input.name, phone: input.phone, company: input.company, products: input.products, lastIntentAt: now };
  try {
    await LeadKey.create({ _id: keyId, leadId });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const key = await LeadKey.findById(keyId).lean();
    if (!key) throw error;
    await Lead.updateOne(
      { _id: key.leadId },
      { $set: { ...contact, ...(input.note ? { notes: input.note } : {}), shareToken: input.shareToken, sharePath: input.sharePath }, $inc: { intents: 1 } },
    );
    return { leadId: key.leadId, created: false };
  }
  await Lead.create({
    _id: leadId,
    ...contact,
    source: 'campaign',
    status: input.ownerId ? 'assigned' : 'new',
    ownerId: input.ownerId,
    campaignId: input.campaignId,
    campaignName: input.campaignName,
    shareToken: input.shareToken,
    sharePath: input.sharePath,
    notes: input.note ?? '',
  });
  return { leadId, created: true };
}

/** The part of the leads a staff member may see. */
function visibleTo(viewer: StaffPrincipal): Record<string, unknown> {
  if (viewer.role === 'admin' || viewer.role === 'manager') return {};
  if (viewer.role === 'sales') return { ownerId: viewer.staffId };
  if (viewer.role === 'marketer') return { source: 'campaign' };
  return { _id: null };
}

async function toViews(docs: LeadDoc[]): Promise<LeadView[]> {
  const owners = await staffByIds(docs.map((doc) => doc.ownerId));
  return docs.map((doc) => ({
    id: String(doc._id),
    company: doc.company ?? '',
    name: doc.name,
    phone: doc.phone ?? '',
    email: doc.email ?? '',
    region: doc.region ?? '',
    industry: doc.industry ?? '',
    products: [...(doc.products ?? [])],
    source: doc.source as LeadView['source'],
    status: doc.status as LeadStatus,
    ownerId: doc.ownerId ?? null,
    ownerName: doc.ownerId ? (owners.get(doc.ownerId)?.name ?? null) : null,
    campaignId: doc.campaignId ?? null,
    campaignName: doc.campaignName ?? null,
    shareToken: doc.shareToken ?? null,
    sharePath: (doc.sharePath ?? []).map((entry) => ({ token: entry.token, name: entry.name, kind: entry.kind as LeadView['sharePath'][number]['kind'] })),
    notes: doc.notes ?? '',
    createdAt: new Date(doc.createdAt).toISOString(),
    updatedAt: new Date(doc.updatedAt).toISOString(),
  }));
}

export async function listLeads(query: LeadListQuery, viewer: StaffPrincipal): Promise<Paged<LeadView>> {
  const wanted = {
    ...(query.status ? { status: query.status } : {}),
    ...(query.source ? { source: query.source } : {}),
    ...(query.campaignId ? { campaignId: query.campaignId } : {}),
    ...(query.ownerId ? { ownerId: query.ownerId } : {}),
  };
  const filter = flatFilter(visibleTo(viewer), wanted, searchFilter(query.q, ['name', 'company', 'phone']));
  const [docs, total] = await Promise.all([
    Lead.find(filter).sort({ createdAt: -1 }).skip(skipOf(query)).limit(query.pageSize).lean<LeadDoc[]>(),
    Lead.countDocuments(filter),
  ]);
  return paged(await toViews(docs), total, query);
}

async function visibleLead(id: string, viewer: StaffPrincipal): Promise<LeadDoc> {
  const doc = isObjectIdString(id) ? await Lead.findOne(flatFilter({ _id: id }, visibleTo(viewer))).lean<LeadDoc>() : null;
  if (!doc) throw notFound('LEAD_NOT_FOUND', '线索不存在');
  return doc;
}

export async function getLead(id: string, viewer: StaffPrincipal): Promise<LeadView> {
  return (await toViews([await visibleLead(id, viewer)]))[0]!;
}

/** Hands the lead to an active salesperson; a new lead becomes 已分配. */
export async function assignLead(id: string, ownerId: string, viewer: StaffPrincipal): Promise<LeadView> {
  const doc = await visibleLead(id, viewer);
  const owner = await findStaffProfile(ownerId);
  if (!owner || owner.role !== 'sales' || !owner.active) throw badRequest('INVALID_LEAD_OWNER', '只能分配给在职的销售人员');
  const status = doc.status === 'new' ? 'assigned' : doc.status;
  await Lead.updateOne({ _id: doc._id }, { $set: { ownerId, status } });
  return getLead(id, viewer);
}

export async function setLeadStatus(id: string, status: LeadStatus, viewer: StaffPrincipal): Promise<LeadView> {
  const doc = await visibleLead(id, viewer);
  if (status !== 'new' && status !== 'closed' && !doc.ownerId) throw badRequest('LEAD_NOT_ASSIGNED', '请先将线索分配给销售人员');
  await Lead.updateOne({ _id: doc._id }, { $set: { status } });
  return getLead(id, viewer);
}
