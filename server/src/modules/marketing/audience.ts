// Facts about recipients that segments and distribution both need, read in bulk from our own
// delivery records: mass messages received this month (WeChat: 4 per follower per calendar month,
// China time) and campaigns received recently (the frequency cap).
import { chinaDate, chinaDayStart, DAY_MS } from '../../lib/china-time.js';
import { isObjectIdString } from '../../lib/db.js';
import { Campaign, type CampaignDoc } from './campaign.model.js';
import { effectiveOutcome, MASS_QUEUED } from './delivery-rules.js';
import { Delivery } from './delivery.model.js';

export const MASS_MONTHLY_LIMIT = 4;
export const SERVICE_WINDOW_MS = 48 * 3600_000;
export const FREQUENCY_WINDOW_DAYS = 30;

/** Start of the China calendar month of `now`. */
export const chinaMonthStart = (now: Date) => chinaDayStart(`${chinaDate(now).slice(0, 7)}-01`);

async function countBy(filter: Record<string, unknown>, field: 'openid' | 'recipientId'): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const cursor = Delivery.find(filter, { [field]: 1 }).lean<Array<Record<string, string | null>>>().cursor({ batchSize: 5000 });
  for await (const row of cursor as AsyncIterable<Record<string, string | null>>) {
    const key = row[field];
    if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Mass messages each openid got (or is being sent) this calendar month, other than `exceptCampaignId`'s. */
export function massCountsThisMonth(now = new Date(), exceptCampaignId?: string): Promise<Map<string, number>> {
  return countBy(
    {
      channel: 'mass',
      state: { $in: ['sent', 'sending'] },
      createdAt: { $gte: chinaMonthStart(now) },
      ...(exceptCampaignId ? { campaignId: { $ne: exceptCampaignId } } : {}),
    },
    'openid',
  );
}

/** Campaigns each contact received in the last 30 days, other than `exceptCampaignId`. */
export function campaignsReceivedRecently(now = new Date(), exceptCampaignId?: string): Promise<Map<string, number>> {
  return countBy(
    {
      recipientKind: 'contact',
      // Queued for a mass send counts as received: the cap errs on the side of sending less.
      $or: [{ state: 'sent' }, { outcome: MASS_QUEUED }],
      createdAt: { $gte: new Date(now.getTime() - FREQUENCY_WINDOW_DAYS * DAY_MS) },
      ...(exceptCampaignId ? { campaignId: { $ne: exceptCampaignId } } : {}),
    },
    'recipientId',
  );
}

/** Contacts a campaign was delivered to. */
export async function contactsWhoReceived(campaignId: string): Promise<Set<string>> {
  const campaign = isObjectIdString(campaignId) ? await Campaign.findById(campaignId, { mass: 1 }).lean<Pick<CampaignDoc, 'mass'>>() : null;
  const rows = await Delivery.find({ campaignId, recipientKind: 'contact', state: { $in: ['sent', 'sending'] } }, { recipientId: 1, outcome: 1 }).lean<Array<{ recipientId: string; outcome: string }>>();
  return new Set(rows.filter((row) => effectiveOutcome(row.outcome, campaign?.mass) === 'sent').map((row) => row.recipientId));
}
