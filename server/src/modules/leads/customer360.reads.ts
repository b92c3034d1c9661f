// What the customer 360 view reads of the sales side: the leads converted into or attached to a
// customer (the one it was converted from first) and its opportunities. Read-only.
import { isObjectIdString } from '../../lib/db.js';
import { Lead, type LeadDoc } from './lead.model.js';
import { Opportunity, type OpportunityDoc } from './opportunity.model.js';

export interface CustomerLeadCard {
  id: string;
  company: string;
  name: string;
  phone: string;
  source: string;
  status: string;
  ownerId: string | null;
  campaignId: string | null;
  campaignName: string | null;
  sharePath: Array<{ name: string; kind: string }>;
  createdAt: Date;
  convertedAt: Date | null;
}

type LeadRow = Pick<
  LeadDoc,
  '_id' | 'company' | 'name' | 'phone' | 'source' | 'status' | 'ownerId' | 'customerId' | 'campaignId' | 'campaignName' | 'sharePath' | 'createdAt' | 'convertedAt'
>;
const FIELDS = { company: 1, name: 1, phone: 1, source: 1, status: 1, ownerId: 1, customerId: 1, campaignId: 1, campaignName: 1, sharePath: 1, createdAt: 1, convertedAt: 1 } as const;

const cardOf = (doc: LeadRow): CustomerLeadCard => ({
  id: String(doc._id),
  company: doc.company ?? '',
  name: doc.name,
  phone: doc.phone ?? '',
  source: doc.source,
  status: doc.status,
  ownerId: doc.ownerId ?? null,
  campaignId: doc.campaignId ?? null,
  campaignName: doc.campaignName ?? null,
  sharePath: (doc.sharePath ?? []).map((entry) => ({ name: entry.name, kind: entry.kind })),
  createdAt: doc.createdAt,
  convertedAt: doc.convertedAt ?? null,
});

/**
 * The customer's leads, newest first, at most `limit`, and how many there are; the lead it was
 * converted from (`fromLeadId`) leads the list even when older ones would push it out.
 */
export async function leadsOfCustomer(customerId: string, fromLeadId: string | null, limit: number): Promise<{ items: CustomerLeadCard[]; total: number }> {
  const [docs, total, from] = await Promise.all([
    Lead.find({ customerId }, FIELDS).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<LeadRow[]>(),
    Lead.countDocuments({ customerId }),
    isObjectIdString(fromLeadId) ? Lead.findById(fromLeadId, FIELDS).lean<LeadRow>() : null,
  ]);
  const rest = docs.filter((doc) => String(doc._id) !== fromLeadId);
  // A converted-from lead not pointing back (older data) still counts once.
  const extra = from && !docs.some((doc) => String(doc._id) === fromLeadId) && from.customerId !== customerId ? 1 : 0;
  const items = (from ? [from, ...rest] : rest).slice(0, limit).map(cardOf);
  return { items, total: total + extra };
}

export interface CustomerOpportunityCard {
  id: string;
  name: string;
  stage: 'open' | 'won' | 'lost';
  amount: number;
  ownerId: string;
  expectedCloseAt: Date | null;
  closedAt: Date | null;
  createdAt: Date;
}

/** The customer's opportunities (商机), newest first, at most `limit`, and how many there are. */
export async function opportunitiesOfCustomer(customerId: string, limit: number): Promise<{ items: CustomerOpportunityCard[]; total: number }> {
  const [docs, total] = await Promise.all([
    Opportunity.find({ customerId }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<OpportunityDoc[]>(),
    Opportunity.countDocuments({ customerId }),
  ]);
  return {
    items: docs.map((doc) => ({
      id: String(doc._id),
      name: doc.name,
      stage: doc.stage as CustomerOpportunityCard['stage'],
      amount: doc.amount ?? 0,
      ownerId: doc.ownerId,
      expectedCloseAt: doc.expectedCloseAt ?? null,
      closedAt: doc.closedAt ?? null,
      createdAt: doc.createdAt,
    })),
    total,
  };
}
