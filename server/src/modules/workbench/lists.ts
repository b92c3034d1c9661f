// The workbench's short lists: due follow-ups (sales, manager, admin) and the latest campaigns'
// results (marketer, admin).
import { followKindLabels, followTargetLabels, type WorkbenchList } from '@qiao/shared';
import type { StaffPrincipal } from '../identity/principal.js';
import { listDueFollowRecords } from '../leads/follow-record.service.js';
import { campaignsStartedBetween } from '../marketing/lookup.service.js';
import { campaignFunnel } from '../spread/funnel.service.js';
import { todayStart } from './time.js';

/** How many of the latest started campaigns the workbench shows. */
export const CAMPAIGN_RESULTS = 5;

/** The latest started campaigns with the spread counters: delivered, read, visitors, intents, leads. */
export async function campaignResults(): Promise<WorkbenchList> {
  const campaigns = await campaignsStartedBetween(null, null, CAMPAIGN_RESULTS);
  const items = await Promise.all(
    campaigns.map(async (campaign) => {
      const { funnel } = await campaignFunnel(campaign.id);
      return {
        id: campaign.id,
        title: campaign.name,
        at: campaign.startedAt.toISOString(),
        link: `/marketing/campaigns/${campaign.id}/funnel`,
        figures: [
          { label: '送达', value: funnel.delivered },
          { label: '阅读', value: funnel.read },
          { label: '访客', value: funnel.uniqueVisitors },
          { label: '意向', value: funnel.intents },
          { label: '线索', value: funnel.leads },
        ],
      };
    }),
  );
  return { key: 'campaign-results', title: '最近营销效果', items, link: '/marketing/analysis', emptyText: '还没有启动过营销方案' };
}

/** How many due follow-ups the workbench lists (the card counts them all). */
export const DUE_FOLLOW_UPS = 8;

/** Follow-ups due by the end of today, oldest first; those of earlier days are marked overdue. */
export async function dueFollowUps(viewer: StaffPrincipal, now: Date): Promise<WorkbenchList> {
  const records = await listDueFollowRecords(viewer, now, DUE_FOLLOW_UPS);
  const today = todayStart(now).getTime();
  return {
    key: 'due-follow-ups',
    title: '待跟进',
    items: records.map((record) => ({
      id: record.id,
      title: `${followTargetLabels[record.target]} · ${record.targetName || '—'}`,
      description: `${followKindLabels[record.kind]} · ${record.nextStep || record.note}`,
      at: record.nextAt,
      urgent: record.nextAt !== null && Date.parse(record.nextAt) < today,
      // The customer's drawer (360) opens from the URL; a lead is found by its name in the list.
      link: record.customerId ? `/sales/customers/${record.customerId}` : `/sales/leads?q=${encodeURIComponent(record.targetName)}`,
    })),
    // The workbench is the due list's page: nothing further to open.
    link: null,
    emptyText: '今天没有到期的跟进',
  };
}
