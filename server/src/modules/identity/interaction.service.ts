// When a WeChat user last wrote to the Official Account (`lastInteractionAt`: WeChat's 48-hour
// customer-service window, the segments' "last interaction"). Kept off the message reply path:
// interactions are noted in memory, coalesced per openid (the latest wins) and written in one
// bulk write every INTERACTION_FLUSH_MS, or sooner when the Official Account flushes its claims.
//
// Crash safety: the Official Account writes a message's claim "done" mark only after the
// interactions noted before it are written (message-log.ts calls flushInteractions first). A
// process killed before that leaves the claim unfinished, and WeChat's retry handles the message
// again — noting the interaction again. So an interaction whose message counts as handled is
// never lost; what a kill -9 can lose is only a message that will be handled (and noted) anew.
import { WeChatUser } from './wechat-user.model.js';
import { findWeChatUser, resolveWeChatUser } from './wechat-user.service.js';

/** The window does not need millisecond precision; a few hundred ms of coalescing saves writes. */
export const INTERACTION_FLUSH_MS = 250;
/** WeChat's customer-service window after a follower's last message. */
export const CUSTOMER_SERVICE_WINDOW_MS = 48 * 3600_000;
const MAX_CACHED_USERS = 50_000;
const RESOLVE_CONCURRENCY = 8;

let pending = new Map<string, Date>();
// openid → user id: the link only changes when two records are merged (then the bulk write
// misses the old record and the openid is looked up again).
const userIdOf = new Map<string, string>();
let timer: NodeJS.Timeout | undefined;
let writing: Promise<void> = Promise.resolve();
/**
 * A message or event from `openid` at `at`: noted now, written within INTERACTION_FLUSH_MS. The
 * first time this process sees `openid` its user is looked up (created if new) here, so a flush is
 * always one bulk write; after that nothing is read or written on the caller's path.
 */
export async function recordInteraction(openid: string, at: Date): Promise<void> {
  if (!userIdOf.has(openid)) remember(openid, (await resolveWeChatUser('oa', openid))._id);
  note(openid, at);
}

function note(openid: string, at: Date): void {
  const noted = pending.get(openid);
  if (!noted || noted.getTime() < at.getTime()) pending.set(openid, at);
  // Errors are reported by the Official Account's flush, which also runs this (message-log.ts).
  timer ??= setTimeout(() => void flushInteractions().catch(() => {}), INTERACTION_FLUSH_MS);
}

function remember(openid: string, userId: string): void {
  if (userIdOf.size >= MAX_CACHED_USERS) userIdOf.clear();
  userIdOf.set(openid, userId);
}

async function resolveAll(openids: string[]): Promise<void> {
  const queue = [...openids];
  await Promise.all(
    Array.from({ length: Math.min(RESOLVE_CONCURRENCY, queue.length) }, async () => {
      for (let openid = queue.shift(); openid !== undefined; openid = queue.shift()) remember(openid, (await resolveWeChatUser('oa', openid))._id);
    }),
  );
}

// $max: of two processes' writes (or a late retry's), the latest interaction stays.
const update = (userId: string, at: Date) => ({ updateOne: { filter: { _id: userId }, update: { $max: { lastInteractionAt: at } } } });

async function write(batch: Map<string, Date>): Promise<void> {
  const entries = [...batch];
  // Forgotten since it was noted (the cache was full): looked up again.
  await resolveAll(entries.map(([openid]) => openid).filter((openid) => !userIdOf.has(openid)));
  const result = await WeChatUser.bulkWrite(entries.map(([openid, at]) => update(userIdOf.get(openid)!, at)), { ordered: false });
  if (result.matchedCount === entries.length) return;
  // A cached record was merged into another (or removed) since: look those openids up again.
  for (const [openid] of entries) userIdOf.delete(openid);
  await resolveAll(entries.map(([openid]) => openid));
  await WeChatUser.bulkWrite(entries.map(([openid, at]) => update(userIdOf.get(openid)!, at)), { ordered: false });
}

/**
 * Write what is noted now; resolves when it (and any earlier flush) is written. A failed write
 * (database unavailable) puts its interactions back for the next flush, and rejects.
 */
export function flushInteractions(): Promise<void> {
  clearTimeout(timer);
  timer = undefined;
  if (pending.size === 0) return writing;
  const batch = pending;
  pending = new Map();
  const run = writing.then(() =>
    write(batch).catch((error: unknown) => {
      for (const [openid, at] of batch) note(openid, at);
      throw error;
    }),
  );
  writing = run.catch(() => {});
  return run;
}

/** When `openid` last wrote to us: noted in this process and not written yet, or stored. */
export async function lastInteractionOf(openid: string): Promise<Date | null> {
  const noted = pending.get(openid);
  if (noted) return noted; // newer than anything this process wrote; $max keeps the stored one from going back
  await writing; // a batch taken off `pending` but still being written
  return (await findWeChatUser('oa', openid))?.lastInteractionAt ?? null;
}

/** Inside WeChat's 48-hour customer-service window (a customer-service message may be sent). */
export async function inCustomerServiceWindow(openid: string, now = new Date()): Promise<boolean> {
  const last = await lastInteractionOf(openid);
  return last !== null && now.getTime() - last.getTime() < CUSTOMER_SERVICE_WINDOW_MS;
}
