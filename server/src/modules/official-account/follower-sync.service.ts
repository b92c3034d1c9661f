// Follower sync: everyone who follows the Official Account becomes a WeChat user of ours, with their
// unionid, even if they followed before Qiao was connected (WeChat sends no event for those).
// WeChat: "获取用户列表" (user/get, 10,000 openids a page) + "批量获取用户基本信息" (batchget, 100 a call).
// Resumable: after every batch of 100 the last openid is stored as the point user/get continues
// from, so a crash or a failed attempt (retried by the job system) repeats at most one batch.
import type { FollowerSyncStatus } from '@qiao/shared';
import { isDuplicateKey } from '../../lib/db.js';
import type { Logger } from '../../logger.js';
import { loadFollowerIndex, recordFollowers, type SyncedFollower } from '../identity/follower.service.js';
import { FollowerSync, type FollowerSyncDoc } from './follower-sync.model.js';

/** The two WeChat calls the sync needs (the Official Account client has both). */
export interface FollowerListSource {
  getFollowers(nextOpenid?: string): Promise<{ total: number; count: number; data?: { openid: string[] }; next_openid: string }>;
  batchGetUserInfo(openids: readonly string[]): Promise<{ subscribe: 0 | 1; openid: string; unionid?: string; subscribe_time?: number }[]>;
}

const BATCH = 100;
/** A run that wrote progress this recently is alive (another process): do not start a second one. */
const ALIVE_MS = 5 * 60_000;

/** Queue the first sync of this account, once across processes and restarts (unique _id). */
export async function claimInitialSync(appid: string): Promise<boolean> {
  try {
    await FollowerSync.create({ _id: appid, state: 'queued' });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** Start a run, or continue the one a crash or failure interrupted; null while another run is alive. */
async function begin(appid: string): Promise<FollowerSyncDoc | null> {
  const current = await FollowerSync.findById(appid).lean<FollowerSyncDoc>();
  // Best effort only (not a compare-and-set): two runs at once cost calls, never wrong data.
  if (current?.state === 'running' && Date.now() - new Date(current.updatedAt).getTime() < ALIVE_MS) return null;
  const resume = current && (current.state === 'running' || current.state === 'failed') && current.nextOpenid !== '';
  const patch = resume
    ? { state: 'running' }
    : { state: 'running', nextOpenid: '', fetched: 0, created: 0, linked: 0, updated: 0, startedAt: new Date(), finishedAt: null };
  await FollowerSync.updateOne({ _id: appid }, { $set: patch }, { upsert: true });
  return (await FollowerSync.findById(appid).lean<FollowerSyncDoc>())!;
}

export async function runFollowerSync(appid: string, wechat: FollowerListSource, logger: Logger): Promise<void> {
  const started = await begin(appid);
  if (!started) {
    logger.info({ appid }, 'follower sync already running');
    return;
  }
  let next = started.nextOpenid;
  try {
    for (;;) {
      const page = await wechat.getFollowers(next);
      const openids = page.data?.openid ?? [];
      if (openids.length === 0) break;
      // Who is known, read once per page (reads by anything but _id scan the collection).
      const index = await loadFollowerIndex();
      for (let i = 0; i < openids.length; i += BATCH) {
        const chunk = openids.slice(i, i + BATCH);
        const infos = await wechat.batchGetUserInfo(chunk);
        const followers: SyncedFollower[] = infos
          .filter((info) => info.subscribe === 1)
          .map((info) => ({
            openid: info.openid,
            unionid: info.unionid ?? null,
            subscribedAt: new Date((info.subscribe_time ?? 0) * 1000 || Date.now()),
          }));
        const counts = await recordFollowers(followers, index);
        next = chunk.at(-1)!;
        await FollowerSync.updateOne(
          { _id: appid },
          { $set: { nextOpenid: next, total: page.total }, $inc: { fetched: chunk.length, ...counts } },
        );
      }
      // user/get's own next_openid is the page's last openid; a page with count 0 ends the list.
      if (!page.next_openid) break;
      next = page.next_openid;
    }
    await FollowerSync.updateOne({ _id: appid }, { $set: { state: 'done', nextOpenid: '', finishedAt: new Date() } });
    const progress = (await FollowerSync.findById(appid).lean<FollowerSyncDoc>())!;
    logger.info({ appid, fetched: progress.fetched, created: progress.created, linked: progress.linked }, 'follower sync done');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await FollowerSync.updateOne({ _id: appid }, { $set: { state: 'failed', lastError: message.slice(0, 500), lastErrorAt: new Date() } });
    throw error;
  }
}

const iso = (at: Date | null | undefined) => (at ? new Date(at).toISOString() : null);

export async function followerSyncStatus(appid: string): Promise<FollowerSyncStatus> {
  const doc = await FollowerSync.findById(appid).lean<FollowerSyncDoc>();
  return {
    status: doc ? (doc.state as FollowerSyncStatus['status']) : 'never',
    total: doc?.total ?? 0,
    fetched: doc?.fetched ?? 0,
    created: doc?.created ?? 0,
    linked: doc?.linked ?? 0,
    updated: doc?.updated ?? 0,
    startedAt: iso(doc?.startedAt),
    finishedAt: iso(doc?.finishedAt),
    lastError: doc?.lastError ?? null,
    lastErrorAt: iso(doc?.lastErrorAt),
  };
}
