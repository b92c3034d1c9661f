// Write-behind counters of the tracking hot path. A view touches the counters of a node, of its
// ancestors, of their people and of the campaign: done one `$inc` at a time per request that is a
// dozen writes on the request path, and on the embedded database concurrent `$inc`s on one
// document lose updates (FerretDB reads, adds in Go and writes back: 50 parallel `$inc` were
// measured to leave 15). Here increments are summed in memory per document and written by one
// flush at a time (every FLUSH_MS, or when a reader asks), so within a process every increment
// lands exactly once and a burst of views costs one bulk write per touched document.
// On MongoDB `$inc` is atomic, so several server processes stay exact there too.
// While a burst is on, flushes are further apart (BURST_FLUSH_MS): a view's increments go to its
// node and to every node above it, and the upper nodes are shared by most views, so a longer
// window writes each of them once for many views (measured at 10,000 views: 1.9 documents a view
// at 100 ms, 1.2 at 500 ms). Readers lose nothing by it: they flush first.
// (The embedded database writes a bulk of updates by `_id` in one transaction: the update-ids
// patch in server/embedded-db/patch.)
import type { Model } from 'mongoose';

/** Delay of a flush after a quiet spell: a single view shows in the figures within this. */
export const FLUSH_MS = 100;
/** Delay of a flush after one that wrote BURST_DOCUMENTS or more documents. */
export const BURST_FLUSH_MS = 500;
const CHUNK = 20;
const BURST_DOCUMENTS = 50;

// Any mongoose model: only bulkWrite is used.
type CounterModel = Pick<Model<unknown>, 'bulkWrite' | 'modelName'>;

interface Target {
  model: CounterModel;
  /** _id → field → amount. */
  docs: Map<string, Map<string, number>>;
}

const targets = new Map<string, Target>();
let timer: NodeJS.Timeout | null = null;
let running: Promise<void> | null = null;
let failures = 0;
/** Documents the last flush wrote: decides the delay of the next one. */
let lastWritten = 0;

/**
 * Adds `inc` to the document `_id` of `model`. The document must exist (counter documents are
 * inserted when their node is created): an increment of a missing one is dropped, never upserted —
 * two processes upserting one document race on the embedded database.
 */
export function increment(model: CounterModel, id: string, inc: Record<string, number>): void {
  let target = targets.get(model.modelName);
  if (!target) {
    target = { model, docs: new Map() };
    targets.set(model.modelName, target);
  }
  let pending = target.docs.get(id);
  if (!pending) {
    pending = new Map();
    target.docs.set(id, pending);
  }
  for (const [field, by] of Object.entries(inc)) {
    if (by !== 0) pending.set(field, (pending.get(field) ?? 0) + by);
  }
  schedule();
}

function schedule(): void {
  if (timer || running) return;
  timer = setTimeout(() => void flushCounters().catch(() => {}), lastWritten >= BURST_DOCUMENTS ? BURST_FLUSH_MS : FLUSH_MS);
  timer.unref();
}

const hasPending = () => [...targets.values()].some((target) => target.docs.size > 0);

/** Writes everything added so far (and waits for a flush in progress). Readers call it first. */
export async function flushCounters(): Promise<void> {
  if (timer) {
    clearTimeout(timer);
    timer = null;
  }
  // One flush at a time: two flushes of the same document could race on the embedded database.
  while (running) await running;
  if (!hasPending()) return;
  running = writeAll().finally(() => {
    running = null;
    if (hasPending()) schedule();
  });
  await running;
}

async function writeAll(): Promise<void> {
  lastWritten = 0;
  for (const target of targets.values()) {
    if (target.docs.size === 0) continue;
    const entries = [...target.docs];
    target.docs = new Map();
    // Small chunks: on the embedded database a chunk is one transaction (the update-ids patch),
    // and requests' own inserts wait behind it (measured at 10,000 views: chunks of 20 carried
    // 10–25% more views a second than chunks of 50, for the same database CPU).
    for (let start = 0; start < entries.length; start += CHUNK) {
      const chunk = entries.slice(start, start + CHUNK);
      const operations = chunk.map(([id, inc]) => ({ updateOne: { filter: { _id: id }, update: { $inc: Object.fromEntries(inc) } } }));
      try {
        // Unordered: each operation is one document's own sum, independent of the others.
        await target.model.bulkWrite(operations, { ordered: false, timestamps: false });
        lastWritten += chunk.length;
        failures = 0;
      } catch (error) {
        // The database is away: keep what was not written (merged with newer sums) for the next
        // flush. A chunk that was partly written is counted again — rare, and better than lost.
        for (const [id, inc] of entries.slice(start)) increment(target.model, id, Object.fromEntries(inc));
        failures += 1;
        throw error;
      }
    }
  }
}

/** Consecutive failed flushes (for logs and tests). */
export const counterFlushFailures = () => failures;
