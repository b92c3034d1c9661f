// The campaigns the spread module reads, through marketing's lookup service. A landing page view
// asks for its campaign every time: answers are kept a few seconds per process (a cancelled
// campaign stops answering within CAMPAIGN_CACHE_MS).
import { campaignForLanding, type LandingCampaign } from '../marketing/lookup.service.js';

export type SpreadCampaign = LandingCampaign;
export const CAMPAIGN_CACHE_MS = 5_000;

const cache = new Map<string, { at: number; campaign: SpreadCampaign | null }>();

/** The campaign, cached briefly; null when missing. */
export async function cachedCampaign(id: string, now = Date.now()): Promise<SpreadCampaign | null> {
  const hit = cache.get(id);
  if (hit && now - hit.at < CAMPAIGN_CACHE_MS) return hit.campaign;
  const campaign = await campaignForLanding(id);
  if (cache.size >= 10_000) cache.clear();
  cache.set(id, { at: now, campaign });
  return campaign;
}

/** Draft campaigns have not been sent and cancelled ones are withdrawn: their pages do not open. */
export const isLandable = (campaign: Pick<SpreadCampaign, 'status'>) => campaign.status !== 'draft' && campaign.status !== 'cancelled';

/** The campaign when its landing page may open, else null. */
export async function landableCampaign(id: string): Promise<SpreadCampaign | null> {
  const campaign = await cachedCampaign(id);
  return campaign && isLandable(campaign) ? campaign : null;
}

/** Fresh, uncached: for the console (funnel, share tree, leads) and intents. */
export async function campaignById(id: string): Promise<SpreadCampaign | null> {
  return campaignForLanding(id);
}
