// The workbench's short lists: the latest campaigns' results (marketer, admin).
import type { WorkbenchList } from '@qiao/shared';
import { campaignsStartedBetween } from '../marketing/lookup.service.js';
import { campaignFunnel } from '../spread/funnel.service.js';

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
