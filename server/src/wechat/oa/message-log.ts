// Kept off the Official Account's reply path: the message log (oa_messages) is buffered in memory
// and written in batches (every FLUSH_MS or BATCH messages), flushed on shutdown. A `handled`
// record is also the message's done mark (with the reply a retry is answered with): there is no
// update of the claim, so a handled message costs its claim's insert and this insert, each grouped
// with others. The handlers' own buffered writes go before each batch of records.
// A crash loses at most an instant of log and of done marks — never a claim: the claim itself is
// inserted before the message is handled, and a claim left without a done mark is taken over by
// WeChat's retry when its lease runs out (handlers write idempotently), exactly as after a crash
// mid-handling (lib/once.ts, docs/only-once.md).
import { isDuplicateKey } from '../../lib/db.js';
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
/** A failed insert of the log is tried this often, RETRY_PAUSE_MS apart (growing), then put back. */
const WRITE_TRIES = 3;
const RETRY_PAUSE_MS = 200;
const RETRY_LATER_MS = 1_000;
/** Past this many unwritten records (database down a long while) the oldest are dropped. */
const MAX_PENDING = 20_000;

let pending: MessageLogRecord[] = [];
let timer: NodeJS.Timeout | undefined;
let logInFlight: Promise<void> = Promise.resolve();
let log: Pick<Logger, 'error'> | undefined;
let settle: (options: { due: boolean }) => Promise<void> = async () => {};

/** Where failed flushes are reported (the endpoint's logger). */
export function useMessageLogLogger(logger: Pick<Logger, 'error'>): void {
  log = logger;
}

function schedule(): void {
  if (pending.length >= BATCH) void flush(true);
  else timer ??= setTimeout(() => void flush(true), FLUSH_MS);
}

/**
 * What handlers buffered themselves (lastInteractionAt) is written by `writes` before each batch
 * of done marks: a message marked done has its handler's writes stored; one whose done mark a
 * crash lost is handled again by WeChat's retry, which notes them again. (Unless those writes
 * took over SETTLE_WAIT_MS: then the done marks go first.) The batches write `due` handler writes
 * only — what a handler lets wait a few seconds, it may (coalescing, interaction.service.ts);
 * `flushMessageLog()` (shutdown, tests) writes everything.
 */
export function useHandlerWrites(writes: (options: { due: boolean }) => Promise<void>): void {
  settle = writes;
}

/**
 * Log a message (its `_id` is the dedupe key: a retry logging it again changes nothing). A
 * `handled` record is the message's done mark: retries read it by `_id` (`handledMessage`).
 */
export function logMessage(record: MessageLogRecord): void {
  pending.push(record);
  schedule();
}

/** The done mark of a message: its log record, when it was handled (read by `_id`). */
export async function handledMessage(key: string): Promise<{ doneAt: Date; result: unknown } | null> {
  const stored = await InboundMessage.collection.findOne<{ status: string; reply: unknown; handledAt: Date | null }>({ _id: key as never }, { projection: { status: 1, reply: 1, handledAt: 1 } });
  return stored?.status === 'handled' ? { doneAt: stored.handledAt ?? new Date(), result: stored.reply } : null;
}

interface IndexedError {
  index?: number;
  code?: number;
  message?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Inserts the records; a message logged twice (a retry) is refused by its `_id`. A failure of the
 * whole statement (database busy or away) is tried again: these records are done marks. Returns
 * the records still not written after that, for the next flush.
 */
async function writeLog(batch: MessageLogRecord[]): Promise<MessageLogRecord[]> {
  // One record per key and batch: a message retried in the same instant is logged once (handled first).
  const byKey = new Map<string, MessageLogRecord>();
  for (const record of batch) if (!byKey.has(record._id) || record.status === 'handled') byKey.set(record._id, record);
  const records = [...byKey.values()];
  let refused: MessageLogRecord[] = [];
  for (let tries = 1; ; tries += 1) {
    try {
      await InboundMessage.collection.insertMany(records as never[], { ordered: false });
      break;
    } catch (error) {
      const raw = (error as { writeErrors?: unknown }).writeErrors;
      const writeErrors = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]) as IndexedError[];
      if (writeErrors.length === 0) {
        if (tries < WRITE_TRIES) {
          await sleep(RETRY_PAUSE_MS * tries);
          continue;
        }
        log?.error({ err: error, messages: records.length }, 'official account message log not written: trying again with the next batch');
        return records;
      }
      // The same message logged twice (a retry in another process) is expected; anything else is not.
      const others = writeErrors.filter((e) => !isDuplicateKey(e));
      if (others.length > 0) log?.error({ err: error, messages: others.length }, 'official account message log records refused');
      refused = writeErrors.filter((e) => typeof e.index === 'number' && isDuplicateKey(e)).map((e) => records[e.index!]!).filter((r) => r.status === 'handled');
      break;
    }
  }
  if (refused.length === 0) return [];
  // A message handled by a retry after its first attempt failed: its record becomes the done mark.
  await InboundMessage.collection
    .bulkWrite(
      refused.map(({ _id, ...fields }) => ({ updateOne: { filter: { _id, status: 'failed' }, update: { $set: fields } } })) as never,
      { ordered: false },
    )
    .catch((error: unknown) => log?.error({ err: error, messages: refused.length }, 'official account message log not written'));
  return [];
}

/** Put records whose write failed back in front of what is pending, and flush again later. */
function again(records: MessageLogRecord[]): void {
  if (records.length === 0) return;
  pending = [...records, ...pending].slice(-MAX_PENDING);
  setTimeout(() => void flushMessageLog(), RETRY_LATER_MS).unref();
}

/** Write what is buffered now, the handlers' deferred writes included; resolves when it (and any earlier flush) is written. */
export function flushMessageLog(): Promise<void> {
  return flush(false);
}

function flush(due: boolean): Promise<void> {
  clearTimeout(timer);
  timer = undefined;
  const batch = pending;
  pending = [];
  // The handlers' own buffered writes first, always (also on shutdown, with no records) — but
  // the records (done marks) wait for them at most SETTLE_WAIT_MS: on a database that slow, a done
  // mark written before the lease runs out (no second handling by a retry) matters more.
  const settled = settle({ due }).catch((error: unknown) => log?.error({ err: error }, 'official account handler writes not flushed'));
  const settledOrLate = Promise.race([settled, new Promise((resolve) => setTimeout(resolve, SETTLE_WAIT_MS).unref())]);
  if (batch.length > 0) logInFlight = logInFlight.then(() => settledOrLate).then(() => writeLog(batch)).then(again).then(() => settled);
  else logInFlight = logInFlight.then(() => settled);
  return logInFlight;
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
