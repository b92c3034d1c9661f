// Group insert of share nodes. Concurrent landings each insert one node; the embedded database
// writes one statement at a time, so inserts that arrive while one is in flight are sent together
// as one unordered insertMany (the first goes at once: no added wait when idle). Each document still
// succeeds or fails on its own unique `_id` — a duplicate key answers only its own caller — so the
// "only once" of an insert is kept.
import { isDuplicateKey } from '../../lib/db.js';

interface Waiting<T> {
  doc: T;
  resolve: (inserted: boolean) => void;
  reject: (error: unknown) => void;
}

/** Writes the documents with one unordered insert (a failing one does not stop the others). */
type InsertUnordered<T> = (docs: T[]) => Promise<unknown>;

const MAX_BATCH = 100;

export class InsertBatcher<T> {
  private queue: Array<Waiting<T>> = [];
  private busy = false;
  constructor(private readonly insertUnordered: InsertUnordered<T>) {}

  /** Inserts `doc`: true when inserted, false when its `_id` already exists; other errors throw. */
  insert(doc: T): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.queue.push({ doc, resolve, reject });
      if (!this.busy) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.write(batch);
      }
    } finally {
      this.busy = false;
    }
  }

  private async write(batch: Array<Waiting<T>>): Promise<void> {
    try {
      await this.insertUnordered(batch.map((w) => w.doc));
      for (const w of batch) w.resolve(true);
    } catch (error) {
      const writeErrors = writeErrorsOf(error);
      if (!writeErrors) {
        for (const w of batch) w.reject(error);
        return;
      }
      const failed = new Map(writeErrors.map((e) => [e.index, e]));
      batch.forEach((w, i) => {
        const e = failed.get(i);
        if (!e) w.resolve(true);
        else if (isDuplicateKey(e)) w.resolve(false);
        else w.reject(error);
      });
    }
  }
}

interface IndexedWriteError {
  index: number;
  code?: number;
  message?: string;
  errmsg?: string;
}

/** The per-document errors of an unordered bulk insert, or null when the whole statement failed. */
function writeErrorsOf(error: unknown): IndexedWriteError[] | null {
  if (typeof error !== 'object' || error === null || !('writeErrors' in error)) return null;
  const raw: unknown = error.writeErrors;
  const list: unknown[] = Array.isArray(raw) ? raw : raw ? [raw] : [];
  if (list.length === 0) return null;
  return list.map((e) => {
    const w = e as { index?: number; code?: number; errmsg?: string; message?: string };
    return { index: w.index ?? -1, code: w.code, errmsg: w.errmsg, message: w.message ?? w.errmsg };
  });
}
