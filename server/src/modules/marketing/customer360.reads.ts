// What the customer 360 view reads of marketing: the campaigns its contacts were sent (deliveries),
// latest first, and campaign names. Read-only; served by the deliveries' recipient index.
import { Campaign, type CampaignDoc } from './campaign.model.js';
import { Delivery, type DeliveryDoc } from './delivery.model.js';

export interface ContactDeliveryCard {
  campaignId: string;
  contactId: string;
  state: string;
  channel: string | null;
  at: Date;
}

/** Deliveries to any of `contactIds`: the latest `limit` and how many there are. */
export async function deliveriesToContacts(contactIds: string[], limit: number): Promise<{ items: ContactDeliveryCard[]; total: number }> {
  if (contactIds.length === 0) return { items: [], total: 0 };
  const filter = { recipientId: { $in: contactIds }, recipientKind: 'contact' as const };
  const [docs, total] = await Promise.all([
    Delivery.find(filter, { campaignId: 1, recipientId: 1, state: 1, channel: 1, sentAt: 1, createdAt: 1 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean<Array<Pick<DeliveryDoc, '_id' | 'campaignId' | 'recipientId' | 'state' | 'channel' | 'sentAt' | 'createdAt'>>>(),
    Delivery.countDocuments(filter),
  ]);
  return {
    items: docs.map((doc) => ({
      campaignId: doc.campaignId,
      contactId: doc.recipientId,
      state: doc.state,
      channel: doc.channel ?? null,
      at: doc.sentAt ?? doc.createdAt,
    })),
    total,
  };
}

/** Campaign names by id, in one query. */
export async function campaignNamesByIds(ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set([...ids].filter((id) => /^[a-f0-9]{24}$/.test(id)))];
  if (unique.length === 0) return new Map();
  const docs = await Campaign.find({ _id: { $in: unique } }, { name: 1 }).lean<Array<Pick<CampaignDoc, '_id' | 'name'>>>();
  return new Map(docs.map((doc) => [String(doc._id), doc.name]));
}
