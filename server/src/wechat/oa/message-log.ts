// Kept off the Official Account's reply path: the message log (oa_messages) and the "done" mark
// of each message's claim are buffered in memory and written in batches (every FLUSH_MS or BATCH
// messages), flushed on shutdown; the handlers' own buffered writes go before the done marks.
// A crash loses at most an instant of log and of done marks — never a claim: the claim itself is
// inserted before the message is handled, and a claim left unfinished is taken over by WeChat's
// retry when its lease runs out (handlers write idempotently), exactly as after a crash
// mid-handling (lib/once.ts, docs/only-once.md).
import { isDuplicateKey } from '../../lib/db.js';
import { finishLeases, type Claim } from '../../lib/once.js';
import type { JobRunner } from '../../jobs/runner.js';
import type { Logger } from '../../logger.js';
import { InboundMessage } from './message.model.js';

export interface MessageLogRecord {
  _id: string;
  openid: string;
  msgType: string;
  event: string | null;
  eventKey: string | null;
  msgId: string | null;
  content: string | null;
  xml: string;
  sentAt: Date;
  receivedAt: Date;
  status: 'handled' | 'failed';
  reply: unknown;
  handledAt: Date | null;
  error: string | null;
}

const FLUSH_MS = 100;
const BATCH = 200;
/** How long done marks wait for the handlers' buffered writes (OA_MESSAGE_LEASE_MS is 4.5 s). */
const SETTLE_WAIT_MS = 1_000;

let pending: MessageLogRecord[] = [];
let finished: Array<{ claim: Pick<Claim, 'id'>; result: unknown; at: Date }> = [];
let timer: NodeJS.Timeout | undefined;
// Done marks and log inserts are written on chains of their own: a retry waiting for a done mark
// never waits behind a large log insert.
let doneInFlight: Promise<void> = Promise.resolve();
let logInFlight: Promise<void> = Promise.resolve();
let log: Pick<Logger, 'error'> | undefined;
let settle: () => Promise<void> = async () => {};

/** Where failed flushes are reported (the endpoint's logger). */
export function useMessageLogLogger(logger: Pick<Logger, 'error'>): void {
  log = logger;
}

function schedule(): void {
  if (pending.length + finished.length >= BATCH) void flushMessageLog();
  else timer ??= setTimeout(() => void flushMessageLog(), FLUSH_MS);
}

/**
 * What handlers buffered themselves (lastInteractionAt) is written by `writes` before each batch
 * of done marks: a message marked done has its handler's writes stored; one whose done mark a
 * crash lost is handled again by WeChat's retry, which notes them again. (Unless those writes
 * took over SETTLE_WAIT_MS: then the done marks go first.)
 */
export function useHandlerWrites(writes: () => Promise<void>): void {
  settle = writes;
}

/** Log a message (its `_id` is the dedupe key: a retry logging it again changes nothing). */
export function logMessage(record: MessageLogRecord): void {
  pending.push(record);
  schedule();
}

/** Mark a message's claim done with its reply (what a retry is answered with), in the next batch. */
export function finishLater(claim: Pick<Claim, 'id'>, result: unknown): void {
  finished.push({ claim, result, at: new Date() });
  schedule();
}

async function writeLog(batch: MessageLogRecord[]): Promise<void> {
  try {
    await InboundMessage.collection.insertMany(batch as never[], { ordered: false });
  } catch (error) {
    // The same message logged twice (a retry in another process) is expected; anything else is not.
    const writeErrors = (error as { writeErrors?: unknown[] }).writeErrors;
    const onlyDuplicates = Array.isArray(writeErrors) ? writeErrors.every(isDuplicateKey) : isDuplicateKey(error);
    if (!onlyDuplicates) log?.error({ err: error, messages: batch.length }, 'official account message log not written');
  }
}

async function writeDone(done: typeof finished): Promise<void> {
  await finishLeases(done).catch((error: unknown) => log?.error({ err: error, claims: done.length }, 'official account claims not marked done'));
}

/** Write what is buffered now; resolves when it (and any earlier flush) is written. */
export function flushMessageLog(): Promise<void> {
  clearTimeout(timer);
  timer = undefined;
  const batch = pending;
  const done = finished;
  pending = [];
  finished = [];
  // The handlers' own buffered writes first, always (also on shutdown, with no done marks) — but
  // done marks wait for them at most SETTLE_WAIT_MS: on a database that slow, a done mark written
  // before the lease runs out (no second handling by a retry) matters more.
  const settled = settle().catch((error: unknown) => log?.error({ err: error }, 'official account handler writes not flushed'));
  const settledOrLate = Promise.race([settled, new Promise((resolve) => setTimeout(resolve, SETTLE_WAIT_MS).unref())]);
  if (done.length > 0) doneInFlight = doneInFlight.then(() => settledOrLate).then(() => writeDone(done)).then(() => settled);
  else doneInFlight = doneInFlight.then(() => settled);
  if (batch.length > 0) logInFlight = logInFlight.then(() => writeLog(batch));
  return Promise.all([doneInFlight, logInFlight]).then(() => undefined);
}

export const MESSAGE_LOG_CLEANUP_JOB = 'oa.delete-old-messages';

/** Delete log records received before `cutoff`, in batches by `_id` (bounded work per query). */
export async function deleteOldMessages(cutoff: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const old = await InboundMessage.find({ receivedAt: { $lt: cutoff } }, { _id: 1 }).limit(1000).lean<Array<{ _id: string }>>();
    if (old.length === 0) return deleted;
    deleted += (await InboundMessage.deleteMany({ _id: { $in: old.map((doc) => doc._id) } })).deletedCount;
  }
}

/** The message log keeps `retentionDays` (QIAO_OA_MESSAGE_RETENTION_DAYS); an hourly job deletes the rest. */
export function messageLogJobs(jobs: JobRunner, retentionDays: number): void {
  jobs.define(MESSAGE_LOG_CLEANUP_JOB, async () => void (await deleteOldMessages(new Date(Date.now() - retentionDays * 86_400_000))), { concurrency: 1 });
  jobs.every('1 hour', MESSAGE_LOG_CLEANUP_JOB);
}
