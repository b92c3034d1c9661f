// WeChat people: find or create by openid, link the Official Account and mini-program identities
// through unionid, and keep their follow history.
import { randomUUID } from 'node:crypto';
import type { CustomerUser } from '@qiao/shared';
import { isDuplicateKey } from '../../lib/db.js';
import { Session } from './session.model.js';
import { Staff } from './staff.model.js';
import { WeChatIdentity, WeChatUser, type WeChatUserDoc } from './wechat-user.model.js';

export type Channel = 'oa' | 'mp';
const openidField = (channel: Channel): 'oaOpenid' | 'mpOpenid' => (channel === 'oa' ? 'oaOpenid' : 'mpOpenid');

async function claimIdentity(key: string, userId: string): Promise<string> {
  try {
    await WeChatIdentity.create({ _id: key, userId });
    return userId;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const existing = await WeChatIdentity.findById(key).lean();
    if (!existing) throw error;
    return existing.userId;
  }
}

export async function findWeChatUser(channel: Channel, openid: string): Promise<WeChatUserDoc | null> {
  const link = await WeChatIdentity.findById(`${channel}:${openid}`).lean();
  return link ? WeChatUser.findById(link.userId).lean<WeChatUserDoc>() : null;
}

/** The person behind an openid, created on first sight; `unionid` links the two channels. */
export async function resolveWeChatUser(channel: Channel, openid: string, unionid?: string | null): Promise<WeChatUserDoc> {
  const existing = await findWeChatUser(channel, openid);
  if (existing) {
    // A creation cut off by a crash after the link was claimed (below): finish it.
    if (!existing[openidField(channel)]) {
      await WeChatUser.updateOne({ _id: existing._id }, { $set: { [openidField(channel)]: openid } });
      existing[openidField(channel)] = openid;
    }
    return unionid && !existing.unionid ? linkUnionid(existing._id, unionid) : existing;
  }

  let userId = unionid ? (await WeChatIdentity.findById(`union:${unionid}`).lean())?.userId : undefined;
  if (!userId) {
    const fresh = randomUUID();
    await WeChatUser.create({ _id: fresh, unionid: unionid ?? null });
    userId = unionid ? await claimIdentity(`union:${unionid}`, fresh) : fresh;
    if (userId !== fresh) await WeChatUser.deleteOne({ _id: fresh });
  }
  const owner = await claimIdentity(`${channel}:${openid}`, userId);
  if (owner !== userId) {
    // Another process created this openid at the same moment: theirs stands.
    if (!unionid) await WeChatUser.deleteOne({ _id: userId, [openidField(channel)]: null });
    return (await WeChatUser.findById(owner).lean<WeChatUserDoc>())!;
  }
  await WeChatUser.updateOne({ _id: userId }, { $set: { [openidField(channel)]: openid } });
  return (await WeChatUser.findById(userId).lean<WeChatUserDoc>())!;
}

/**
 * Record a unionid learnt later (user info job, mini-program login). If another record already
 * holds it, the two are one person: this record is folded into that one.
 */
export async function linkUnionid(userId: string, unionid: string): Promise<WeChatUserDoc> {
  const owner = await claimIdentity(`union:${unionid}`, userId);
  if (owner === userId) {
    await WeChatUser.updateOne({ _id: userId }, { $set: { unionid } });
    return (await WeChatUser.findById(userId).lean<WeChatUserDoc>())!;
  }
  return mergeInto(owner, userId);
}

async function mergeInto(keepId: string, goneId: string): Promise<WeChatUserDoc> {
  const [keep, gone] = await Promise.all([
    WeChatUser.findById(keepId).lean<WeChatUserDoc>(),
    WeChatUser.findById(goneId).lean<WeChatUserDoc>(),
  ]);
  if (!keep || !gone) return (keep ?? gone)!;
  const patch: Partial<WeChatUserDoc> = {};
  for (const channel of ['oa', 'mp'] as const) {
    const field = openidField(channel);
    const openid = gone[field];
    if (openid && !keep[field]) {
      patch[field] = openid;
      await WeChatIdentity.updateOne({ _id: `${channel}:${openid}` }, { $set: { userId: keepId } });
    }
  }
  // Follow state belongs to whichever record came from the Official Account.
  if (gone.oaOpenid && !keep.oaOpenid) {
    Object.assign(patch, {
      subscribed: gone.subscribed,
      firstSubscribedAt: gone.firstSubscribedAt,
      subscribedAt: gone.subscribedAt,
      unsubscribedAt: gone.unsubscribedAt,
      subscribeScene: gone.subscribeScene,
      sceneHistory: [...(keep.sceneHistory ?? []), ...(gone.sceneHistory ?? [])],
    });
  }
  if (gone.contactId && !keep.contactId) patch.contactId = gone.contactId;
  if (gone.staffId && !keep.staffId) {
    // The staff binding moves with the person (both sides of it).
    patch.staffId = gone.staffId;
    await Staff.updateOne({ _id: gone.staffId, wechatUserId: goneId }, { $set: { wechatUserId: keepId } });
  }
  const lastSeen = [keep.lastInteractionAt, gone.lastInteractionAt].filter(Boolean).map((d) => d!.getTime());
  if (lastSeen.length) patch.lastInteractionAt = new Date(Math.max(...lastSeen));
  // Ordered so that a crash part-way loses nothing: the survivor learns everything first, the
  // forwarding link is written, sessions move, and only then the old record goes.
  await WeChatUser.updateOne(
    { _id: keepId },
    { $set: patch, $addToSet: { mergedIds: { $each: [goneId, ...(gone.mergedIds ?? [])] } } },
  );
  await claimIdentity(`merged:${goneId}`, keepId);
  await Session.updateMany({ kind: 'customer', subjectId: goneId }, { $set: { subjectId: keepId } });
  await WeChatUser.deleteOne({ _id: goneId });
  return (await WeChatUser.findById(keepId).lean<WeChatUserDoc>())!;
}

/**
 * The record a user id stands for now: itself, or the record it was merged into (a session or
 * ticket made before the merge). Null when neither exists.
 */
export async function currentWeChatUser(userId: string): Promise<WeChatUserDoc | null> {
  let id = userId;
  // Merges chain rarely; a few hops are plenty, and a cycle cannot loop forever.
  for (let hop = 0; hop < 5; hop += 1) {
    const user = await WeChatUser.findById(id).lean<WeChatUserDoc>();
    if (user) return user;
    const forward = await WeChatIdentity.findById(`merged:${id}`).lean();
    if (!forward) return null;
    id = forward.userId;
  }
  return null;
}

/** `qrscene_123` (subscribe) or `123` (SCAN) → `123`; empty → null. */
export function sceneFromEventKey(eventKey: string | undefined): string | null {
  if (!eventKey) return null;
  const scene = eventKey.startsWith('qrscene_') ? eventKey.slice('qrscene_'.length) : eventKey;
  return scene || null;
}

// Scenes are added with $addToSet: a message handled again after a crash (same time) is recorded once.
export async function recordSubscribe(openid: string, scene: string | null, at: Date): Promise<WeChatUserDoc> {
  const user = await resolveWeChatUser('oa', openid);
  await WeChatUser.updateOne(
    { _id: user._id },
    {
      $set: {
        subscribed: true,
        subscribedAt: at,
        unsubscribedAt: null,
        subscribeScene: scene,
        lastInteractionAt: at,
        ...(user.firstSubscribedAt ? {} : { firstSubscribedAt: at }),
      },
      ...(scene ? { $addToSet: { sceneHistory: { $each: [{ scene, event: 'subscribe', at }] } } } : {}),
    },
  );
  return (await WeChatUser.findById(user._id).lean<WeChatUserDoc>())!;
}

/** Unfollow: keep everything, mark the state. */
export async function recordUnsubscribe(openid: string, at: Date): Promise<void> {
  const user = await resolveWeChatUser('oa', openid);
  await WeChatUser.updateOne({ _id: user._id }, { $set: { subscribed: false, unsubscribedAt: at } });
}

export async function recordScan(openid: string, scene: string | null, at: Date): Promise<void> {
  const user = await resolveWeChatUser('oa', openid);
  await WeChatUser.updateOne(
    { _id: user._id },
    {
      $set: { lastInteractionAt: at },
      ...(scene ? { $addToSet: { sceneHistory: { $each: [{ scene, event: 'scan', at }] } } } : {}),
    },
  );
}

// recordInteraction (a message's lastInteractionAt, batched off the reply path): interaction.service.ts.

/** The mini-program's view of a WeChat user; contact and staff are looked up by the caller. */
export function toCustomerUser(
  user: WeChatUserDoc,
  links: Pick<CustomerUser, 'contact' | 'staff'> = { contact: null, staff: null },
): CustomerUser {
  return {
    id: user._id,
    openid: user.mpOpenid ?? '',
    unionid: user.unionid ?? null,
    followsOfficialAccount: Boolean(user.oaOpenid && user.subscribed),
    verified: Boolean(user.contactId),
    ...links,
  };
}
