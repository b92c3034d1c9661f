// Jobs of marketing: the distribution run of a campaign, and a sweep every few seconds that
// starts scheduled campaigns when due, resumes those WeChat's API quota paused, and re-queues a
// running distribution whose heartbeat stopped (its process died: agenda would wait for its lock).
import type { JobRunner } from '../../jobs/runner.js';
import { Campaign, type CampaignDoc } from './campaign.model.js';
import { DISTRIBUTE_JOB } from './campaign.service.js';
import { distribute } from './distribution.js';
import type { MarketingDeps } from './marketing.deps.js';
import { removeFinishedCampaignTags } from './mass-send.js';

export const SWEEP_JOB = 'marketing.sweep';
export const TAG_CLEANUP_JOB = 'marketing.remove-campaign-tags';
/** A running campaign without a heartbeat this long has no live run. */
export const STALE_RUN_MS = 10_000;

export async function sweepCampaigns(deps: Pick<MarketingDeps, 'jobs'>, now = new Date()): Promise<void> {
  const due = await Campaign.find({ status: 'scheduled', scheduledAt: { $lte: now }, deletedAt: null }, { _id: 1 }).lean<Array<Pick<CampaignDoc, '_id'>>>();
  for (const { _id } of due) {
    await Campaign.updateOne({ _id, status: 'scheduled' }, { $set: { status: 'running', startedAt: now, heartbeatAt: null } });
    await deps.jobs.now(DISTRIBUTE_JOB, { campaignId: String(_id) });
  }
  const resumable = await Campaign.find({ status: 'paused', resumeAt: { $lte: now }, deletedAt: null }, { _id: 1 }).lean<Array<Pick<CampaignDoc, '_id'>>>();
  for (const { _id } of resumable) {
    await Campaign.updateOne({ _id, status: 'paused' }, { $set: { status: 'running', pauseReason: '', resumeAt: null, heartbeatAt: null } });
    await deps.jobs.now(DISTRIBUTE_JOB, { campaignId: String(_id) });
  }
  const runningNow = await Campaign.find({ status: 'running', deletedAt: null }, { heartbeatAt: 1 }).lean<Array<Pick<CampaignDoc, '_id' | 'heartbeatAt'>>>();
  for (const campaign of runningNow) {
    if (campaign.heartbeatAt && now.getTime() - campaign.heartbeatAt.getTime() < STALE_RUN_MS) continue;
    // Mark it so that the next sweep does not queue another while this one waits for a worker.
    await Campaign.updateOne({ _id: campaign._id }, { $set: { heartbeatAt: now } });
    await deps.jobs.now(DISTRIBUTE_JOB, { campaignId: String(campaign._id) });
  }
}

export function marketingJobs(jobs: JobRunner, deps: MarketingDeps): void {
  // Started at once when queued here: a marketer's "start" does not wait for the next poll.
  jobs.define<{ campaignId: string }>(DISTRIBUTE_JOB, (data) => distribute(data.campaignId, deps), { concurrency: 2, retries: 5, immediate: true });
  jobs.define(SWEEP_JOB, () => sweepCampaigns(deps), { concurrency: 1, retries: 0 });
  jobs.every('5 seconds', SWEEP_JOB);
  jobs.define(TAG_CLEANUP_JOB, async () => {
    await removeFinishedCampaignTags(deps);
  }, { concurrency: 1, retries: 0 });
  jobs.every('1 hour', TAG_CLEANUP_JOB);
}
