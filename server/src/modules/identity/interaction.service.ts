// When a WeChat user last wrote to the Official Account (`lastInteractionAt`: WeChat's 48-hour
// customer-service window, the segments' "last interaction"). Kept off the message reply path:
// interactions are noted in memory, coalesced per openid (the latest wins) and written in one
// bulk write every INTERACTION_FLUSH_MS, or sooner when the Official Account flushes its claims.
// Each of those updates is still a read and a write of the user (on the embedded database one
// locked transaction per bulk, not a commit per user): a follower writing several messages in a
// row is written once per INTERACTION_COALESCE_MS, not once per message — a note within that time
// of what this process last stored waits (at most that long) for the next one.
//
// Crash safety: the Official Account writes a message's done mark (its log record) only after the
// interactions noted before it are written, or are within INTERACTION_COALESCE_MS of a stored one
// (message-log.ts calls flushInteractions first). A process killed before that leaves the claim
// without a done mark, and WeChat's retry handles the message again — noting the interaction
// again. So for a message that counts as handled, its sender's stored lastInteractionAt is at most
// INTERACTION_COALESCE_MS older than the message; what a kill -9 can lose is only those seconds,
// or a message that will be handled (and noted) anew.
// (On a database so slow that these writes take over a second, the done marks no longer wait:
// a retry finding the message done matters more than a last-seen time.)
import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from '../../lib/db.js';
import { FlushTimer } from '../../lib/flush-timer.js';
import { WeChatIdentity, WeChatUser } from './wechat-user.model.js';
import { findWeChatUser } from './wechat-user.service.js';

/** The window does not need millisecond precision; a few hundred ms of coalescing saves writes. */
export const INTERACTION_FLUSH_MS = 250;
/** A follower's later interactions within this of the one stored wait for one write together. */
export const INTERACTION_COALESCE_MS = 5_000;
/** WeChat's customer-service window after a follower's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 48 * 3600_000;
const MAX_CACHED_USERS = 50_000;

interface Noted {
  at: Date;
  /** When it was first noted unwritten: written at most INTERACTION_COALESCE_MS later. */
  since: number;
}

let pending = new Map<string, Noted>();
// openid → user id: the link only changes when two records are merged (then the bulk write
// misses the old record and the openid is looked up again).
const userIdOf = new Map<string, string>();
// openid → the lastInteractionAt this process last stored (ms): what a later note is measured against.
const storedAt = new Map<string, number>();
// Openids whose user this process created and whose oaOpenid is not written yet (kept until it is).
const withoutOpenid = new Set<string>();
// Errors are reported by the Official Account's flush, which also runs this (message-log.ts).
const flushTimer = new FlushTimer(() => flushInteractions({ due: true }));
let writing: Promise<void> = Promise.resolve();
/**
 * A message or event from `openid` at `at`: noted now, written within INTERACTION_FLUSH_MS
 * (creating the user on first sight). Nothing is read or written on the caller's path.
 */
export async function recordInteraction(openid: string, at: Date): Promise<void> {
  note(openid, at);
}

function note(openid: string, at: Date, since = Date.now()): void {
  const noted = pending.get(openid);
  if (!noted) pending.set(openid, { at, since });
  else {
    if (noted.at.getTime() < at.getTime()) noted.at = at;
    noted.since = Math.min(noted.since, since);
  }
  flushTimer.schedule(INTERACTION_FLUSH_MS);
}


/** Written now: first seen, moved on by INTERACTION_COALESCE_MS, or waiting that long already. */
function isDue(openid: string, noted: Noted, now: number): boolean {
  const stored = storedAt.get(openid);
  return stored === undefined || noted.at.getTime() - stored >= INTERACTION_COALESCE_MS || now - noted.since >= INTERACTION_COALESCE_MS;
}

function remember(openid: string, userId: string): void {
  if (userIdOf.size >= MAX_CACHED_USERS) userIdOf.clear();
  userIdOf.set(openid, userId);
}

function rememberStored(batch: Map<string, Date>): void {
  if (storedAt.size >= MAX_CACHED_USERS) storedAt.clear();
  for (const [openid, at] of batch) storedAt.set(openid, Math.max(storedAt.get(openid) ?? 0, at.getTime()));
}

/** Indexes of the documents an unordered insert refused as duplicates; rethrows anything else. */
function duplicatesOf(error: unknown): Set<number> {
  const raw = (error as { writeErrors?: unknown }).writeErrors;
  const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as Array<{ index?: number }>;
  if (list.length === 0 || !list.every((e) => typeof e.index === 'number' && isDuplicateKey(e))) throw error;
  return new Set(list.map((e) => e.index!));
}

const linkKey = (openid: string) => `oa:${openid}`;

/**
 * The users of many openids in a few round trips, as `resolveWeChatUser('oa', openid)` finds or
 * creates each: a new user is inserted, then its openid's link claimed by a unique insert; where
 * another process claimed it first, theirs stands and ours is removed.
 */
async function resolveMany(openids: string[]): Promise<void> {
  if (openids.length === 0) return;
  const links = await WeChatIdentity.find({ _id: { $in: openids.map(linkKey) } }).lean();
  for (const link of links) remember(link._id.slice('oa:'.length), link.userId);
  const fresh = openids.filter((openid) => !userIdOf.has(openid)).map((openid) => ({ openid, userId: randomUUID() }));
  if (fresh.length === 0) return;
  await WeChatUser.insertMany(fresh.map(({ userId }) => ({ _id: userId, unionid: null })), { ordered: false });
  let lost = new Set<number>();
  try {
    await WeChatIdentity.insertMany(fresh.map(({ openid, userId }) => ({ _id: linkKey(openid), userId })), { ordered: false });
  } catch (error) {
    lost = duplicatesOf(error);
  }
  // Ours: the user's oaOpenid is set by the same update as its first lastInteractionAt (write()).
  for (const { openid, userId } of fresh.filter((_, i) => !lost.has(i))) {
    remember(openid, userId);
    withoutOpenid.add(openid);
  }
  const beaten = fresh.filter((_, i) => lost.has(i));
  if (beaten.length > 0) {
    await WeChatUser.deleteMany({ _id: { $in: beaten.map(({ userId }) => userId) } });
    const theirs = await WeChatIdentity.find({ _id: { $in: beaten.map(({ openid }) => linkKey(openid)) } }).lean();
    for (const link of theirs) remember(link._id.slice('oa:'.length), link.userId);
  }
}

// $max: of two processes' writes (or a late retry's), the latest interaction stays. A user this
// process just created gets its oaOpenid in the same update (one read-modify-write, not two).
// Sent through the driver, with the `updatedAt` mongoose's timestamps would add: on the
// Official Account's hot path, mongoose's casting of every operation was a measurable part of the
// endpoint's CPU.
const update = (openid: string, at: Date, now: Date) => ({
  updateOne: {
    filter: { _id: userIdOf.get(openid)! },
    update: { $max: { lastInteractionAt: at }, $set: { updatedAt: now, ...(withoutOpenid.has(openid) ? { oaOpenid: openid } : {}) } },
  },
});
const writeUsers = (entries: Array<[string, Date]>) => {
  const now = new Date();
  return WeChatUser.collection.bulkWrite(entries.map(([openid, at]) => update(openid, at, now)) as never[], { ordered: false });
};

async function write(batch: Map<string, Date>): Promise<void> {
  const entries = [...batch];
  await resolveMany(entries.map(([openid]) => openid).filter((openid) => !userIdOf.has(openid)));
  const result = await writeUsers(entries);
  if (result.matchedCount === entries.length) {
    for (const [openid] of entries) withoutOpenid.delete(openid);
    return;
  }
  // A cached record was merged into another (or removed) since: look those openids up again.
  for (const [openid] of entries) userIdOf.delete(openid);
  await resolveMany(entries.map(([openid]) => openid));
  await writeUsers(entries);
  for (const [openid] of entries) withoutOpenid.delete(openid);
}

/**
 * Write what is noted now — with `due`, only what may not wait (see isDue; the rest is written
 * within INTERACTION_COALESCE_MS); resolves when it (and any earlier flush) is written. A failed
 * write (database unavailable) puts its interactions back for the next flush, and rejects.
 */
export function flushInteractions(options: { due?: boolean } = {}): Promise<void> {
  flushTimer.cancel();
  const now = Date.now();
  const batch = new Map<string, Date>();
  let waitsUntil = Infinity;
  for (const [openid, noted] of pending) {
    const stored = storedAt.get(openid);
    // Not later than what this process stored: $max would change nothing.
    if (stored !== undefined && noted.at.getTime() <= stored) pending.delete(openid);
    else if (!options.due || isDue(openid, noted, now)) {
      batch.set(openid, noted.at);
      pending.delete(openid);
    } else waitsUntil = Math.min(waitsUntil, noted.since + INTERACTION_COALESCE_MS);
  }
  if (waitsUntil < Infinity) flushTimer.schedule(Math.max(INTERACTION_FLUSH_MS, waitsUntil - now));
  if (batch.size === 0) return writing;
  const run = writing.then(() =>
    write(batch).then(
      () => rememberStored(batch),
      (error: unknown) => {
        // Due at once when put back.
        for (const [openid, at] of batch) note(openid, at, 0);
        throw error;
      },
    ),
  );
  writing = run.catch(() => {});
  return run;
}

/** When `openid` last wrote to us: noted in this process and not written yet, or stored. */
export async function lastInteractionOf(openid: string): Promise<Date | null> {
  const noted = pending.get(openid)?.at;
  if (noted) return noted; // newer than anything this process wrote; $max keeps the stored one from going back
  await writing; // a batch taken off `pending` but still being written
  return (await findWeChatUser('oa', openid))?.lastInteractionAt ?? null;
}

/** Inside WeChat's 48-hour customer-service window (a customer-service message may be sent). */
export async function inCustomerServiceWindow(openid: string, now = new Date()): Promise<boolean> {
  const last = await lastInteractionOf(openid);
  return last !== null && now.getTime() - last.getTime() < CUSTOMER_SERVICE_WINDOW_MS;
}
