// Followers learnt from WeChat's follower list (user/get + user/info/batchget) rather than from a
// follow event: created as WeChat users, linked by unionid, marked as following.
// Speed matters (10,000 followers a page): FerretDB serves a single-_id read from its index but
// scans for anything else, so the sync reads who is known ONCE per page (`loadFollowerIndex`, two
// scans), inserts new people in bulk — claiming their identity keys with unique _ids, the one
// reliable "only once" write — and sends only the followers that need it through the careful
// one-by-one rules of wechat-user.service.ts (merges by unionid).
import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from '../../lib/db.js';
import { resolveWeChatUser } from './wechat-user.service.js';
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
  /** Unionids newly linked (e.g. a follower joined with the same person's mini-program record). */
  linked: number;
  /** Known users marked as following again. */
  updated: number;
}

/** Who is known: identity key (`oa:…`, `union:…`) → user id, and each user's unionid / follow state. */
export interface FollowerIndex {
  owners: Map<string, string>;
  users: Map<string, { unionid: string | null; subscribed: boolean }>;
}

export async function loadFollowerIndex(): Promise<FollowerIndex> {
  const [identities, users] = await Promise.all([
    WeChatIdentity.find({}, { userId: 1 }).lean(),
    WeChatUser.find({}, { unionid: 1, subscribed: 1 }).lean(),
  ]);
  return {
    owners: new Map(identities.map((doc) => [doc._id, doc.userId])),
    users: new Map(users.map((u) => [String(u._id), { unionid: u.unionid ?? null, subscribed: Boolean(u.subscribed) }])),
  };
}

function remember(index: FollowerIndex, user: { _id: string; unionid?: string | null; subscribed?: boolean | null }, openid: string): void {
  index.owners.set(`oa:${openid}`, user._id);
  if (user.unionid) index.owners.set(`union:${user.unionid}`, user._id);
  index.users.set(user._id, { unionid: user.unionid ?? null, subscribed: true });
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

/** The careful path: one follower through resolveWeChatUser (links or merges by unionid). */
async function recordOne(follower: SyncedFollower, result: FollowerBatchResult, index: FollowerIndex): Promise<void> {
  const byOpenid = index.owners.get(`oa:${follower.openid}`);
  const byUnionid = follower.unionid ? index.owners.get(`union:${follower.unionid}`) : undefined;
  const user = await resolveWeChatUser('oa', follower.openid, follower.unionid ?? null);
  if (!byOpenid && !byUnionid) result.created += 1;
  else if (follower.unionid && byOpenid !== byUnionid) result.linked += 1;
  if ((await markFollowing(user, follower)) && byOpenid && byOpenid === user._id) result.updated += 1;
  remember(index, user, follower.openid);
}

/** Record a batch of followers (one batchget). Idempotent: a second run changes nothing. */
export async function recordFollowers(followers: readonly SyncedFollower[], index: FollowerIndex): Promise<FollowerBatchResult> {
  const result: FollowerBatchResult = { created: 0, linked: 0, updated: 0 };
  const fresh: SyncedFollower[] = [];
  const unionids = new Set<string>();
  for (const follower of followers) {
    const userId = index.owners.get(`oa:${follower.openid}`);
    const user = userId ? index.users.get(userId) : undefined;
    if (user && user.subscribed && (!follower.unionid || user.unionid === follower.unionid)) continue;
    const unionKnown = follower.unionid !== undefined && follower.unionid !== null && (index.owners.has(`union:${follower.unionid}`) || unionids.has(follower.unionid));
    if (userId || unionKnown) await recordOne(follower, result, index);
    else fresh.push(follower);
    if (follower.unionid) unionids.add(follower.unionid);
  }
  await insertFresh(fresh, result, index);
  return result;
}

/** Claim identity keys in one write; the keys someone else holds already come back. */
async function claimKeys(keys: { _id: string; userId: string }[]): Promise<Set<string>> {
  const createdAt = new Date();
  const docs = keys.map((key) => ({ ...key, createdAt }));
  try {
    // The driver's own insertMany: it reports which documents went in when some did not.
    await WeChatIdentity.collection.insertMany(docs as never[], { ordered: false });
    return new Set();
  } catch (error) {
    const inserted = (error as { insertedIds?: Record<string, unknown> }).insertedIds;
    if (!isDuplicateKey(error) || !inserted) throw error;
    const went = new Set(Object.values(inserted).map(String));
    return new Set(keys.map((key) => key._id).filter((id) => !went.has(id)));
  }
}

/** New people in bulk: users first, then their identity keys; a key someone claimed meanwhile wins. */
async function insertFresh(followers: SyncedFollower[], result: FollowerBatchResult, index: FollowerIndex): Promise<void> {
  if (followers.length === 0) return;
  const batch = followers.map((follower) => ({ follower, id: randomUUID() }));
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
  const keysOf = (follower: SyncedFollower, id: string) => [
    { _id: `oa:${follower.openid}`, userId: id },
    ...(follower.unionid ? [{ _id: `union:${follower.unionid}`, userId: id }] : []),
  ];
  const taken = await claimKeys(batch.flatMap(({ follower, id }) => keysOf(follower, id)));
  const later: SyncedFollower[] = [];
  for (const { follower, id } of batch) {
    const keys = keysOf(follower, id);
    if (keys.every((key) => !taken.has(key._id))) {
      result.created += 1;
      remember(index, { _id: id, unionid: follower.unionid ?? null }, follower.openid);
      continue;
    }
    // Lost a race (a follow event or a login at the same moment): undo this record, go the careful way.
    for (const key of keys) if (!taken.has(key._id)) await WeChatIdentity.deleteOne({ _id: key._id, userId: id });
    await WeChatUser.deleteOne({ _id: id });
    later.push(follower);
  }
  for (const follower of later) await recordOne(follower, result, index);
}
