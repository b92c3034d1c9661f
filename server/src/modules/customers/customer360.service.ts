// Customer 360 (客户360视图): one customer with everything around it — contacts and their WeChat
// identities, devices, service requests and ratings, leads and opportunities, campaigns received
// and spread, follow-ups, ownership history. Each section is capped (latest N + total) and read
// with indexed equalities, so a customer with 10,000 requests answers as fast as one with ten.
//
// Who sees it: the data-permission rule (customer visibility); a salesperson may also look at a
// pool customer to decide a claim — read-only, phones masked. Dispatchers see the service side only.
import { CUSTOMER360_SECTION_LIMIT, maskPhone, warrantyState, type Customer360 } from '@qiao/shared';
import { notFound } from '../../errors.js';
import { staffByIds } from '../identity/lookup.service.js';
import { weChatIdentitiesOfContacts } from '../identity/customer360.reads.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { followRecordsOfCustomer } from '../leads/follow-record.service.js';
import { leadsOfCustomer, opportunitiesOfCustomer } from '../leads/customer360.reads.js';
import { campaignNamesByIds, deliveriesToContacts } from '../marketing/customer360.reads.js';
import { departmentNames } from '../org/department.service.js';
import { serviceRequestsOfCustomer } from '../service/customer360.reads.js';
import { contactShareStats } from '../spread/customer360.reads.js';
import { contactsOfCustomer, customerForView, devicesOfCustomer } from './customer360.reads.js';
import { customerVisibility, ownershipHistory } from './customer-visibility.js';
import type { CustomerDoc } from './customer.model.js';
import { withPoolClock } from './pool-clock.service.js';

const LIMIT = CUSTOMER360_SECTION_LIMIT;
/** Contacts whose campaigns are looked at (a customer with more is a call centre, not a client). */
const CAMPAIGN_CONTACTS = 200;

const customerNotFound = () => notFound('CUSTOMER_NOT_FOUND', '客户不存在或已被删除');
const iso = (at: Date | null | undefined) => (at ? new Date(at).toISOString() : null);

type Access = 'full' | 'readOnly' | null;

/** How the viewer may see the customer: fully, only to look (a salesperson at a pool customer), or not at all. */
async function accessTo(viewer: StaffPrincipal, doc: CustomerDoc): Promise<Access> {
  if ((await customerVisibility(viewer)).canSee(doc)) return 'full';
  return viewer.role === 'sales' && !doc.ownerId ? 'readOnly' : null;
}

/** Whether the viewer works the sales side (leads, opportunities, follow-ups, campaigns, ownership). */
const seesSalesSide = (viewer: StaffPrincipal) => viewer.role === 'admin' || viewer.role === 'manager' || viewer.role === 'sales';

export async function getCustomer360(viewer: StaffPrincipal, id: string): Promise<Customer360> {
  const doc = await customerForView(id);
  if (!doc) throw customerNotFound();
  const access = await accessTo(viewer, doc);
  if (!access) throw customerNotFound();
  const masked = access === 'readOnly';
  const phone = (value: string) => (masked ? maskPhone(value) : value);
  const sales = seesSalesSide(viewer);

  const [contacts, devices, requests, names, leads, opportunities, followRecords, ownership] = await Promise.all([
    contactsOfCustomer(id, LIMIT),
    devicesOfCustomer(id, LIMIT),
    serviceRequestsOfCustomer(id, LIMIT),
    departmentNames(),
    sales ? leadsOfCustomer(id, doc.leadId ?? null, LIMIT) : null,
    sales ? opportunitiesOfCustomer(id, LIMIT) : null,
    sales ? followRecordsOfCustomer(id, LIMIT) : null,
    sales ? ownershipHistory(id) : null,
  ]);
  const contactIds = contacts.items.map((contact) => String(contact._id));
  const [wechat, campaigns] = await Promise.all([
    weChatIdentitiesOfContacts(contactIds),
    sales ? campaignSections(id, doc) : null,
  ]);
  const staff = await staffByIds([
    doc.ownerId,
    ...(doc.collaboratorIds ?? []),
    ...(leads?.items.map((lead) => lead.ownerId) ?? []),
    ...(opportunities?.items.map((opportunity) => opportunity.ownerId) ?? []),
  ]);
  // The pool clock is kept beside the customer (pool-clock.service.ts).
  const clock = await withPoolClock(doc);
  const nameOf = (staffId: string | null | undefined) => (staffId ? (staff.get(staffId)?.name ?? null) : null);
  const now = new Date();

  return {
    id: String(doc._id),
    code: doc.code,
    name: doc.name,
    region: doc.region,
    industry: doc.industry ?? '',
    grade: doc.grade ?? '',
    address: doc.address ?? '',
    phone: phone(doc.phone ?? ''),
    department: doc.department ?? '',
    departmentName: names.get(doc.department ?? '') ?? doc.department ?? '',
    contactCount: contacts.total,
    productCount: devices.total,
    createdAt: doc.createdAt.toISOString(),
    ownerId: doc.ownerId ?? null,
    ownerName: nameOf(doc.ownerId),
    ownerSince: iso(doc.ownerSince),
    inPool: !doc.ownerId,
    locked: Boolean(doc.locked),
    lastFollowUpAt: iso(clock.lastFollowUpAt),
    lastDealAt: iso(clock.lastDealAt),
    collaboratorIds: [...(doc.collaboratorIds ?? [])],
    collaborators: (doc.collaboratorIds ?? []).map((staffId) => ({ id: staffId, name: nameOf(staffId) ?? '' })),
    origin: {
      source: doc.source ?? 'manual',
      leadId: doc.leadId ?? null,
      campaignId: doc.campaignId ?? null,
      campaignName: doc.campaignName ?? null,
      sharePath: (doc.sharePath ?? []).map((entry) => ({ name: entry.name ?? '', kind: entry.kind ?? '' })),
    },
    readOnly: masked,
    contacts: {
      total: contacts.total,
      items: contacts.items.map((contact) => {
        const identities = wechat.get(String(contact._id)) ?? [];
        return {
          id: String(contact._id),
          name: contact.name,
          phone: phone(contact.phone),
          title: contact.title ?? '',
          tags: [...(contact.tags ?? [])],
          verified: identities.length > 0,
          wechat: identities,
        };
      }),
    },
    devices: {
      total: devices.total,
      items: devices.items.map((device) => ({
        id: String(device._id),
        serialNumber: device.serialNumber,
        model: device.model,
        productLine: device.productLine,
        installedAt: device.installedAt.toISOString().slice(0, 10),
        warrantyEndsAt: device.warrantyEndsAt.toISOString().slice(0, 10),
        warrantyState: warrantyState(device.warrantyEndsAt, now),
        address: device.address ?? '',
      })),
    },
    requests: {
      total: requests.total,
      ratingAverage: requests.ratingAverage,
      ratedCount: requests.ratedCount,
      items: requests.items.map((request) => ({ ...request, createdAt: request.createdAt.toISOString(), completedAt: iso(request.completedAt) })),
    },
    leads: leads && {
      total: leads.total,
      items: leads.items.map((lead) => ({
        ...lead,
        phone: phone(lead.phone),
        ownerName: nameOf(lead.ownerId),
        createdAt: lead.createdAt.toISOString(),
        convertedAt: iso(lead.convertedAt),
        convertedFrom: lead.id === doc.leadId,
      })),
    },
    opportunities: opportunities && {
      total: opportunities.total,
      items: opportunities.items.map((opportunity) => ({
        ...opportunity,
        ownerName: nameOf(opportunity.ownerId),
        expectedCloseAt: iso(opportunity.expectedCloseAt),
        closedAt: iso(opportunity.closedAt),
        createdAt: opportunity.createdAt.toISOString(),
      })),
    },
    campaignsReceived: campaigns?.received ?? null,
    campaignsShared: campaigns?.shared ?? null,
    followRecords,
    ownership: ownership && { total: ownership.length, items: ownership.slice(0, LIMIT) },
  };
}

/**
 * Campaigns the customer's contacts were sent, and how far they passed them on (their share nodes
 * in those campaigns and in the campaign the customer came from).
 */
async function campaignSections(id: string, doc: CustomerDoc): Promise<{ received: NonNullable<Customer360['campaignsReceived']>; shared: NonNullable<Customer360['campaignsShared']> }> {
  const contacts = await contactsOfCustomer(id, CAMPAIGN_CONTACTS);
  const contactNames = new Map(contacts.items.map((contact) => [String(contact._id), contact.name]));
  const contactIds = [...contactNames.keys()];
  const received = await deliveriesToContacts(contactIds, LIMIT);
  const campaignIds = [...new Set([...received.items.map((item) => item.campaignId), ...(doc.campaignId ? [doc.campaignId] : [])])];
  const stats = await contactShareStats(campaignIds, contactIds);
  const spread = stats.filter((row) => row.shares > 0 || row.views > 0).sort((a, b) => b.subtreeViews - a.subtreeViews);
  const names = await campaignNamesByIds(campaignIds);
  return {
    received: {
      total: received.total,
      items: received.items.map((item) => ({
        campaignId: item.campaignId,
        campaignName: names.get(item.campaignId) ?? '',
        contactId: item.contactId,
        contactName: contactNames.get(item.contactId) ?? '',
        state: item.state,
        channel: item.channel,
        at: item.at.toISOString(),
      })),
    },
    shared: {
      total: spread.length,
      items: spread.slice(0, LIMIT).map((row) => ({
        ...row,
        campaignName: names.get(row.campaignId) ?? (row.campaignId === doc.campaignId ? (doc.campaignName ?? '') : ''),
        contactName: contactNames.get(row.contactId) ?? '',
      })),
    },
  };
}
