// Followers learnt from WeChat's follower list (user/get + user/info/batchget) rather than from a
// follow event: created as WeChat users, linked by unionid, marked as following. Batches of new
// people are inserted in bulk (10,000 followers must not take 70,000 round trips); anyone already
// known, or whose unionid is already claimed, goes through the one-by-one rules of
// wechat-user.service.ts.
import { randomUUID } from 'node:crypto';
import { linkUnionid, resolveWeChatUser } from './wechat-user.service.js';
import { WeChatIdentity, WeChatUser, type WeChatUserDoc } from './wechat-user.model.js';

export interface SyncedFollower {
  openid: string;
  unionid?: string | null;
  /** When they followed (WeChat's subscribe_time). */
  subscribedAt: Date;
}

export interface FollowerBatchResult {
  /** New WeChat users. */
  created: number;
  /** Unionids recorded on users that did not have one (a follower joined with their mini-program self). */
  linked: number;
  /** Known users whose follow state was brought up to date. */
  updated: number;
}

async function markFollowing(user: WeChatUserDoc, follower: SyncedFollower): Promise<boolean> {
  if (user.subscribed) return false;
  await WeChatUser.updateOne(
    { _id: user._id },
    {
      $set: {
        subscribed: true,
        subscribedAt: follower.subscribedAt,
        unsubscribedAt: null,
        ...(user.firstSubscribedAt ? {} : { firstSubscribedAt: follower.subscribedAt }),
      },
    },
  );
  return true;
}

/** The slow, careful path: one follower through resolveWeChatUser (links or merges by unionid). */
async function recordOne(follower: SyncedFollower, result: FollowerBatchResult): Promise<void> {
  const [byOpenid, byUnionid] = await Promise.all([
    WeChatIdentity.findById(`oa:${follower.openid}`).lean(),
    follower.unionid ? WeChatIdentity.findById(`union:${follower.unionid}`).lean() : null,
  ]);
  const user = await resolveWeChatUser('oa', follower.openid, follower.unionid ?? null);
  if (!byOpenid && !byUnionid) result.created += 1;
  else if (follower.unionid && (!byOpenid || !byUnionid)) result.linked += 1;
  if ((await markFollowing(user, follower)) && byOpenid) result.updated += 1;
}

/** Record a batch (≤ 100, one batchget) of followers. Idempotent: a second run changes nothing. */
export async function recordFollowers(followers: readonly SyncedFollower[]): Promise<FollowerBatchResult> {
  const result: FollowerBatchResult = { created: 0, linked: 0, updated: 0 };
  if (followers.length === 0) return result;
  const keys = followers.flatMap((f) => [`oa:${f.openid}`, ...(f.unionid ? [`union:${f.unionid}`] : [])]);
  const identities = new Map((await WeChatIdentity.find({ _id: { $in: keys } }).lean()).map((doc) => [doc._id, doc.userId]));
  const knownIds = [...new Set(followers.map((f) => identities.get(`oa:${f.openid}`)).filter((id): id is string => id !== undefined))];
  const users = new Map((await WeChatUser.find({ _id: { $in: knownIds } }).lean<WeChatUserDoc[]>()).map((u) => [u._id, u]));

  const fresh: SyncedFollower[] = [];
  for (const follower of followers) {
    const userId = identities.get(`oa:${follower.openid}`);
    const user = userId ? users.get(userId) : undefined;
    if (!user) {
      // Nobody has this openid; a person with this unionid (mini-program first) needs the careful path.
      if (userId || (follower.unionid && identities.has(`union:${follower.unionid}`))) await recordOne(follower, result);
      else fresh.push(follower);
      continue;
    }
    if (follower.unionid && !user.unionid) {
      const linked = await linkUnionid(user._id, follower.unionid);
      result.linked += 1;
      await markFollowing(linked, follower);
      continue;
    }
    if (await markFollowing(user, follower)) result.updated += 1;
  }
  await insertFresh(fresh, result);
  return result;
}

/** New people in bulk: users first, then their identity keys; a key someone claimed meanwhile wins. */
async function insertFresh(followers: SyncedFollower[], result: FollowerBatchResult): Promise<void> {
  // One unionid appearing twice in a batch cannot be two people: leave the repeat to the careful path.
  const seen = new Set<string>();
  const batch: { follower: SyncedFollower; id: string }[] = [];
  const later: SyncedFollower[] = [];
  for (const follower of followers) {
    if (follower.unionid && seen.has(follower.unionid)) later.push(follower);
    else batch.push({ follower, id: randomUUID() });
    if (follower.unionid) seen.add(follower.unionid);
  }
  if (batch.length > 0) {
    await WeChatUser.insertMany(
      batch.map(({ follower, id }) => ({
        _id: id,
        unionid: follower.unionid ?? null,
        oaOpenid: follower.openid,
        subscribed: true,
        subscribedAt: follower.subscribedAt,
        firstSubscribedAt: follower.subscribedAt,
      })),
    );
    const keys = batch.flatMap(({ follower, id }) => [
      { _id: `oa:${follower.openid}`, userId: id },
      ...(follower.unionid ? [{ _id: `union:${follower.unionid}`, userId: id }] : []),
    ]);
    // Duplicate keys (a follow event or login at the same moment) fail alone; checked below.
    await WeChatIdentity.insertMany(keys, { ordered: false }).catch(() => undefined);
    const owners = new Map((await WeChatIdentity.find({ _id: { $in: keys.map((k) => k._id) } }).lean()).map((doc) => [doc._id, doc.userId]));
    for (const { follower, id } of batch) {
      const ownsOpenid = owners.get(`oa:${follower.openid}`) === id;
      const ownsUnionid = !follower.unionid || owners.get(`union:${follower.unionid}`) === id;
      if (ownsOpenid && ownsUnionid) {
        result.created += 1;
        continue;
      }
      // Lost a race: drop what this record claimed and take the careful path.
      const claimed = [ownsOpenid ? `oa:${follower.openid}` : '', follower.unionid && owners.get(`union:${follower.unionid}`) === id ? `union:${follower.unionid}` : ''];
      await WeChatIdentity.deleteMany({ _id: { $in: claimed.filter(Boolean) }, userId: id });
      await WeChatUser.deleteOne({ _id: id });
      later.push(follower);
    }
  }
  for (const follower of later) await recordOne(follower, result);
}
