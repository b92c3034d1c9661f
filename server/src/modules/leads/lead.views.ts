// The lead as the API shows it, built for a page of leads with one staff lookup.
import type { Lead as LeadView, LeadStatus } from '@qiao/shared';
import { staffByIds } from '../identity/lookup.service.js';
import type { LeadDoc } from './lead.model.js';

const iso = (value: Date | null | undefined) => (value ? new Date(value).toISOString() : null);

export async function toLeadViews(docs: LeadDoc[]): Promise<LeadView[]> {
  const staff = await staffByIds(docs.flatMap((doc) => [doc.ownerId, ...(doc.collaboratorIds ?? [])]));
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
    ownerName: doc.ownerId ? (staff.get(doc.ownerId)?.name ?? null) : null,
    department: doc.department ?? '',
    collaborators: (doc.collaboratorIds ?? []).map((id) => ({ id, name: staff.get(id)?.name ?? '' })),
    createdBy: doc.createdBy ?? null,
    assignedAt: iso(doc.assignedAt),
    assignedBy: doc.assignedBy ?? null,
    campaignId: doc.campaignId ?? null,
    campaignName: doc.campaignName ?? null,
    shareToken: doc.shareToken ?? null,
    sharePath: (doc.sharePath ?? []).map((entry) => ({ token: entry.token, name: entry.name, kind: entry.kind as LeadView['sharePath'][number]['kind'] })),
    notes: doc.notes ?? '',
    wechatUserId: doc.wechatUserId ?? null,
    closeReason: doc.closeReason ?? null,
    closeNote: doc.closeNote ?? '',
    closedAt: iso(doc.closedAt),
    convertedAt: iso(doc.convertedAt),
    customerId: doc.customerId ?? null,
    contactId: doc.contactId ?? null,
    opportunityId: doc.opportunityId ?? null,
    lastFollowUpAt: iso(doc.lastFollowUpAt),
    nextFollowUpAt: iso(doc.nextFollowUpAt),
    createdAt: new Date(doc.createdAt).toISOString(),
    updatedAt: new Date(doc.updatedAt).toISOString(),
  }));
}
