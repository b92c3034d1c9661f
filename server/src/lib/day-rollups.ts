// Day rollups of records for the reports (leads/lead-days.ts, leads/follow-days.ts,
// customers/report-days.ts): one document per China day of creation (`_id` the day, `total` the
// records counted into it, `computedAt` when its read began), replaced whole, never edited in place.
// A period is read by its days' `_id`s; a day never filled is filled on that first read, and the
// stored totals are checked against indexed counts of the source by halves — a stretch that agrees
// costs one count, a changed day a few (log₂ of the stretch), so nothing walks every day.
import type { Model } from 'mongoose';
import { z } from 'zod';
import { chinaDate, chinaDayStart, DAY_MS } from './china-time.js';
import { isDuplicateKey } from './db.js';
import { readSetting, writeSetting } from './settings.js';

export interface DayDoc {
  /** China day, YYYY-MM-DD. */
  _id: string;
  total: number;
  computedAt: Date;
}

export interface DayStore<Doc extends DayDoc> {
  model: Model<Doc>;
  /** Source records created in [start, end) (an indexed count). */
  count(start: Date, end: Date): Promise<number>;
  /** Recompute one day from its source records and store it (concurrent writers: the caller's rule). */
  recompute(day: string): Promise<void>;
  /** The document of a day without records; absent: such days are not stored (only totals are compared). */
  empty?: (day: string, computedAt: Date) => Doc;
}

export const FAR_FUTURE = new Date('9999-12-31T00:00:00.000Z');

export const dayRange = (day: string) => {
  const start = chinaDayStart(day);
  return { $gte: start, $lt: new Date(start.getTime() + DAY_MS) };
};

export const nextDay = (day: string) => chinaDate(new Date(chinaDayStart(day).getTime() + DAY_MS));

/** The China days from `from` to `to`, both included. */
export function daysFromTo(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to; day = nextDay(day)) days.push(day);
  return days;
}

/**
 * mongoose stamps a record's `updatedAt` when it sends the write, and under load the write may
 * commit a while later — after the read of a writer that began after the stamp. So after writing,
 * a writer looks at the records of its day stamped from this long before its read began.
 */
export const IN_FLIGHT_MS = 5_000;

/** The `updatedAt` range a writer whose read began at `readAt` checks after writing (two-sided: indexed). */
export const writtenSinceRead = (readAt: Date) => ({ $gte: new Date(readAt.getTime() - IN_FLIGHT_MS), $lt: FAR_FUTURE });

export interface Versioned {
  _id: unknown;
  updatedAt?: Date | null;
}

/**
 * Whether a read saw each record of `written` (its day's records stamped in writtenSinceRead) as
 * the record stands now: read at the same `updatedAt`, or not read and not part of the day now
 * (`inDay`, for reads that filter on more than the day). False: the read is older than a write.
 */
export function sawEveryWrite<Row extends Versioned>(read: Versioned[], written: Row[], inDay: (row: Row) => boolean = () => true): boolean {
  const version = (row: Versioned) => row.updatedAt?.getTime() ?? null;
  const seen = new Map(read.map((row) => [String(row._id), version(row)]));
  return written.every((row) => {
    const id = String(row._id);
    return seen.has(id) ? seen.get(id) === version(row) : !inDay(row);
  });
}

/**
 * Whether a read of a day from `readAt` on saw every write since to the records `ofDay` (a flat
 * filter of the day) finds (see sawEveryWrite; `fields`: what `inDay` looks at).
 */
export async function readSawWrites<Row extends Versioned>(
  model: Pick<Model<never>, 'collection'>,
  ofDay: Record<string, unknown>,
  read: Versioned[],
  readAt: Date,
  inDay?: (row: Row) => boolean,
  fields: Record<string, 1> = {},
): Promise<boolean> {
  const written = await model.collection.find<Row>({ updatedAt: writtenSinceRead(readAt), ...ofDay }, { projection: { updatedAt: 1, ...fields } }).toArray();
  return sawEveryWrite(read, written, inDay);
}

/** Days of a few hundred `_id`s per query: one SQL `IN` list each. */
const ID_CHUNK = 400;

/** The stored days among `days`; `totalsOnly`: without their cells (what checking needs). */
async function storedDays<Doc extends DayDoc>(store: DayStore<Doc>, days: string[], totalsOnly = false): Promise<Map<string, Doc>> {
  const out = new Map<string, Doc>();
  for (let i = 0; i < days.length; i += ID_CHUNK) {
    const docs = await store.model.find({ _id: { $in: days.slice(i, i + ID_CHUNK) } }, totalsOnly ? { total: 1 } : {}).lean<Doc[]>();
    for (const doc of docs) out.set(doc._id, doc);
  }
  return out;
}

/** Days without records are stored as empty documents, inserted only where none is (never over a writer's). */
async function insertEmpty<Doc extends DayDoc>(store: DayStore<Doc>, days: string[], computedAt: Date): Promise<void> {
  const empty = store.empty;
  if (days.length === 0 || !empty) return;
  try {
    await store.model.insertMany(
      days.map((day) => empty(day, computedAt)),
      { ordered: false },
    );
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/**
 * Brings the stored days of `days` (consecutive) in line with the source: a stretch whose stored
 * totals add up to its count stands; otherwise it is halved until single days are recomputed; a
 * stretch without records gets empty documents. True when anything was written.
 */
async function settle<Doc extends DayDoc>(store: DayStore<Doc>, days: string[], stored: Map<string, Doc>): Promise<boolean> {
  if (days.length === 0) return false;
  const first = days[0]!;
  const last = days.at(-1)!;
  const countedAt = new Date();
  const count = await store.count(chinaDayStart(first), new Date(chinaDayStart(last).getTime() + DAY_MS));
  // Days without a document are "not filled yet" only where empty days are stored.
  const missing = store.empty ? days.filter((day) => !stored.has(day)) : [];
  const sum = days.reduce((total, day) => total + (stored.get(day)?.total ?? 0), 0);
  if (missing.length === 0 && count === sum) return false;
  if (count === 0) {
    await insertEmpty(store, missing, countedAt);
    for (const day of days) if ((stored.get(day)?.total ?? 0) > 0) await store.recompute(day);
    return true;
  }
  if (days.length === 1) {
    await store.recompute(first);
    return true;
  }
  const half = Math.ceil(days.length / 2);
  const a = await settle(store, days.slice(0, half), stored);
  const b = await settle(store, days.slice(half), stored);
  return a || b;
}

/** The stored days of [from, to], filled and checked first (see settle). */
export async function daysOfPeriod<Doc extends DayDoc>(store: DayStore<Doc>, from: string, to: string): Promise<Doc[]> {
  const days = daysFromTo(from, to);
  let stored = await storedDays(store, days);
  if (await settle(store, days, stored)) stored = await storedDays(store, days);
  return [...stored.values()].sort((a, b) => a._id.localeCompare(b._id));
}

/** Every day from `first` to today settled (a filled, unchanged history: one count); true when anything was written. */
export async function settleAll<Doc extends DayDoc>(store: DayStore<Doc>, first: Date | null, now = new Date()): Promise<boolean> {
  if (!first) return false;
  const days = daysFromTo(chinaDate(first), chinaDate(now));
  return settle(store, days, await storedDays(store, days, true));
}

/**
 * Stores a day replaced whole, unless a writer whose read began later has stored it already (it
 * saw at least as much). The caller then checks whether the day changed since its read began.
 */
export async function replaceDay<Doc extends DayDoc>(model: Model<Doc>, doc: Doc): Promise<void> {
  const stored = await model.findById(doc._id, { computedAt: 1 }).lean<Pick<DayDoc, 'computedAt'>>();
  if (stored && stored.computedAt.getTime() > doc.computedAt.getTime()) return;
  await model.replaceOne({ _id: doc._id }, doc, { upsert: true });
}

const watermarkSchema = z.object({ watermark: z.string() }).nullable();

/**
 * The watermark of a rollup's job, kept in `settings` under `key`: the time up to which changed
 * records have been folded in (null: none stored, so nothing stored can be trusted).
 */
export function rollupWatermark(key: string): { read(): Promise<Date | null>; write(at: Date): Promise<void> } {
  return {
    read: async () => {
      const state = await readSetting(key, watermarkSchema, null);
      return state ? new Date(state.watermark) : null;
    },
    write: (at) => writeSetting(key, { watermark: at.toISOString() }, 'system'),
  };
}

/** A queue that runs a rollup's refreshes in this process one after another. */
export function serialQueue(): <T>(work: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };
}
