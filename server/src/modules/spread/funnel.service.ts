// Effect analysis (效果分析): per campaign a funnel — targeted, delivered and failed from the
// deliveries (marketing), read / shared / unique visitors / intents / leads from the tracking's own
// counters and indexed counts — and a comparison of campaigns and channels over a period.
import { reportChannels, type CampaignReport, type CampaignReportQuery, type Funnel, type ReportChannel } from '@qiao/shared';
import { notFound } from '../../errors.js';
import { campaignsStartedBetween, deliveryCounts } from '../marketing/lookup.service.js';
import { campaignById } from './campaign-source.js';
import { flushCounters } from './counters.js';
import { ShareNode, SpreadTotals } from './share-node.model.js';

/** The funnel of a campaign known to exist. */
async function figures(campaignId: string): Promise<Funnel> {
  const [delivery, read, shared, totals] = await Promise.all([
    deliveryCounts(campaignId),
    // Recipients (contacts at a root) who opened their own link.
    ShareNode.countDocuments({ campaignId, selfViews: { $gt: 0 }, parent: null, ownerKind: 'contact' }),
    // People whose link brought someone.
    ShareNode.countDocuments({ campaignId, shares: { $gt: 0 } }),
    SpreadTotals.findById(campaignId).lean(),
  ]);
  return {
    targeted: delivery.targeted,
    delivered: delivery.delivered,
    failed: delivery.failed,
    read,
    shared,
    uniqueVisitors: totals?.uniqueVisitors ?? 0,
    intents: totals?.intents ?? 0,
    leads: totals?.leads ?? 0,
  };
}

export async function campaignFunnel(campaignId: string): Promise<{ name: string; funnel: Funnel }> {
  const campaign = await campaignById(campaignId);
  if (!campaign) throw notFound('CAMPAIGN_NOT_FOUND', '营销方案不存在');
  await flushCounters();
  return { name: campaign.name, funnel: await figures(campaignId) };
}

const emptyFunnel = (): Funnel => ({ targeted: 0, delivered: 0, failed: {}, read: 0, shared: 0, uniqueVisitors: 0, intents: 0, leads: 0 });

function add(into: Funnel, more: Funnel): void {
  into.targeted += more.targeted;
  into.delivered += more.delivered;
  for (const [reason, n] of Object.entries(more.failed)) into.failed[reason] = (into.failed[reason] ?? 0) + n;
  into.read += more.read;
  into.shared += more.shared;
  into.uniqueVisitors += more.uniqueVisitors;
  into.intents += more.intents;
  into.leads += more.leads;
}

/** Campaigns started in the period (newest first) and, per channel, the sums of the campaigns using it. */
export async function campaignReport(query: Pick<CampaignReportQuery, 'from' | 'to'>): Promise<CampaignReport> {
  await flushCounters();
  const campaigns = await campaignsStartedBetween(query.from ? new Date(query.from) : null, query.to ? new Date(query.to) : null);
  const rows = await Promise.all(
    campaigns.map(async (campaign) => ({
      campaignId: campaign.id,
      name: campaign.name,
      startedAt: campaign.startedAt.toISOString(),
      channels: campaign.channels.filter((channel): channel is ReportChannel => (reportChannels as readonly string[]).includes(channel)),
      ...(await figures(campaign.id)),
    })),
  );
  const channels = reportChannels.map((channel) => {
    const sum = { channel, campaigns: 0, ...emptyFunnel() };
    for (const row of rows) {
      if (!row.channels.includes(channel)) continue;
      sum.campaigns += 1;
      add(sum, row);
    }
    return sum;
  });
  return { campaigns: rows, channels };
}
