// Jobs of the Official Account area: a new follower's unionid, and the sync of all followers.
import type { JobQueue, JobRunner } from '../../jobs/runner.js';
import type { Logger } from '../../logger.js';
import { findWeChatUser, linkUnionid } from '../identity/wechat-user.service.js';
import { claimInitialSync, runFollowerSync, type FollowerListSource } from './follower-sync.service.js';

export const SYNC_FOLLOWER_JOB = 'official-account.sync-follower';
export const SYNC_ALL_FOLLOWERS_JOB = 'official-account.sync-all-followers';
/** Nightly, server time (cron). */
export const FOLLOWER_SYNC_SCHEDULE = '30 3 * * *';

/** The one WeChat call this area needs per follower: user info, for the follower's unionid. */
export interface FollowerInfoSource {
  getUserInfo(openid: string): Promise<{ unionid?: string }>;
}

/** After a follow: ask WeChat for the follower's unionid and link their mini-program identity. Idempotent. */
export async function syncFollower(openid: string, wechat: FollowerInfoSource, logger: Logger): Promise<void> {
  const user = await findWeChatUser('oa', openid);
  if (!user || user.unionid) return;
  try {
    const info = await wechat.getUserInfo(openid);
    if (info.unionid) await linkUnionid(user._id, info.unionid);
  } catch (error) {
    // 40003: WeChat does not know this openid (left, or not ours) — nothing to retry.
    if ((error as { errcode?: number }).errcode === 40003) {
      logger.info({ openid }, 'follower unknown to WeChat; unionid not synced');
      return;
    }
    throw error;
  }
}

export type OfficialAccountJobsSource = FollowerInfoSource & FollowerListSource & { appid: string };

export function defineOfficialAccountJobs(jobs: JobRunner, wechat: OfficialAccountJobsSource, logger: Logger): void {
  jobs.define<{ openid: string }>(SYNC_FOLLOWER_JOB, ({ openid }) => syncFollower(openid, wechat, logger), { retries: 5 });
  // One at a time; a failed attempt is retried with backoff and resumes where it stopped.
  jobs.define<object>(SYNC_ALL_FOLLOWERS_JOB, () => runFollowerSync(wechat.appid, wechat, logger), { concurrency: 1, retries: 5 });
  jobs.every(FOLLOWER_SYNC_SCHEDULE, SYNC_ALL_FOLLOWERS_JOB);
}

/** The first start with an account: sync its followers once (whichever process claims it). */
export async function queueInitialFollowerSync(jobs: JobQueue, appid: string): Promise<boolean> {
  if (!(await claimInitialSync(appid))) return false;
  await jobs.now(SYNC_ALL_FOLLOWERS_JOB, {});
  return true;
}

/** Sync now (an administrator asked); the status route shows the progress. */
export async function queueFollowerSync(jobs: JobQueue): Promise<void> {
  await jobs.now(SYNC_ALL_FOLLOWERS_JOB, {});
}
