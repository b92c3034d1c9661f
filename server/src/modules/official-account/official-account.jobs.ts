// Jobs of the Official Account area.
import type { JobRunner } from '../../jobs/runner.js';
import type { Logger } from '../../logger.js';
import { findWeChatUser, linkUnionid } from '../identity/wechat-user.service.js';

export const SYNC_FOLLOWER_JOB = 'official-account.sync-follower';

/** The one WeChat call this area needs: user info, for the follower's unionid. */
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

export function defineOfficialAccountJobs(jobs: JobRunner, wechat: FollowerInfoSource, logger: Logger): void {
  jobs.define<{ openid: string }>(SYNC_FOLLOWER_JOB, ({ openid }) => syncFollower(openid, wechat, logger), { retries: 5 });
}
