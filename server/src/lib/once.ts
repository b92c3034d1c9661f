// "Only once" on a database without transactions or compare-and-set (FerretDB): the only write
// that two concurrent clients cannot both win is inserting a document with the same `_id`. Every
// "only once" in Qiao is such an insert into `once_claims` (docs/only-once.md).
//
// Two kinds of claim:
//   - a plain claim (`takeOnce`): held until it is forgotten or expires; for things owned outright
//     (an invite code, an upload's attachment, a slot of a quota);
//   - a leased claim (`claimLease`): work in progress with an owner and an expiry. If the owner
//     dies, the next attempt at the same work takes it over — by inserting the successor attempt
//     `<key>#<n+1>`, so two takeovers at the same moment still have one winner.
import { randomUUID } from 'node:crypto';
import mongoose, { Schema } from 'mongoose';
import type { JobRunner } from '../jobs/runner.js';
import { InsertBatcher } from '../modules/spread/insert-batch.js';
import { isDuplicateKey } from './db.js';

const claimSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The work; attempt 0 has `_id === key`, attempt n `${key}#${n}`. */
    key: { type: String, required: true },
    attempt: { type: Number, required: true },
    owner: { type: String, required: true },
    /** Leased claims: after this the work is abandoned and the next attempt may take it over. */
    leaseUntil: { type: Date, default: null },
    doneAt: { type: Date, default: null },
    /** Given up by its owner without writing anything: the next attempt takes over at once. */
    releasedAt: { type: Date, default: null },
    /** The cleanup job deletes the claim after this (FerretDB has no TTL indexes). */
    keepUntil: { type: Date, required: true },
    /** What the work is about, for whoever takes it over or finds it done. */
    data: { type: Schema.Types.Mixed, default: null },
    /** What the finished work answered (e.g. a reply to replay to a retry). */
    result: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, minimize: false },
);

export interface ClaimRecord {
  _id: string;
  key: string;
  attempt: number;
  owner: string;
  leaseUntil: Date | null;
  doneAt: Date | null;
  releasedAt: Date | null;
  keepUntil: Date;
  data: Record<string, unknown> | null;
  result: unknown;
}

// The cleanup reads by keepUntil; state-change recovery looks for abandoned leases.
claimSchema.index({ keepUntil: 1 });
claimSchema.index({ leaseUntil: 1 });

export const OnceClaim = mongoose.model('OnceClaim', claimSchema, 'once_claims');

/** A claim this process holds. */
export interface Claim {
  id: string;
  key: string;
  attempt: number;
  owner: string;
  leaseUntil: Date;
  data: Record<string, unknown> | null;
}

export interface OnceOptions {
  /** How long the claim is kept after it is taken (as long as the work could be retried). */
  keepMs: number;
  data?: Record<string, unknown>;
  now?: Date;
}

export interface LeaseOptions extends OnceOptions {
  /** How long the owner has to finish before the next attempt may take over. */
  leaseMs: number;
  /**
   * A takeover keeps the data of the attempt it takes over (the same work with the same facts,
   * e.g. when a message was first received) instead of `data`.
   */
  carryData?: boolean;
  /**
   * The first attempt's insert joins the claims arriving at the same moment in one unordered
   * insertMany (each still wins or loses on its own `_id`): for work claimed at a high rate.
   */
  grouped?: boolean;
  /**
   * Where the work's done mark is kept when it is not the claim's (the Official Account's
   * message log): asked once the claim is found taken, before it is judged busy or taken over.
   */
  doneElsewhere?: (key: string) => Promise<{ doneAt: Date; result: unknown } | null>;
  /**
   * The caller found the work taken a moment ago and asks again (waiting for a busy claim): read
   * the chain first instead of inserting the first attempt again (a refused insert costs more
   * than a read, and would make a grouped insert fall back to one document at a time).
   */
  taken?: boolean;
}

export type Attempt =
  /** Yours to do. `abandoned`: the expired attempt you took over (its owner may have written part of it). */
  | { kind: 'mine'; claim: Claim; abandoned: ClaimRecord | null }
  | { kind: 'done'; record: ClaimRecord }
  /** Someone else holds a live lease on it. */
  | { kind: 'busy'; record: ClaimRecord };

/** More attempts than this at one piece of work is a bug, not bad luck. */
const MAX_ATTEMPTS = 50;

const attemptId = (key: string, attempt: number) => (attempt === 0 ? key : `${key}#${attempt}`);

type NewClaim = Omit<ClaimRecord, 'doneAt' | 'releasedAt' | 'result'>;

// Claims inserted while one insert is in flight go together (the embedded database writes one
// statement at a time); a duplicate `_id` answers only its own caller (insert-batch.ts).
const groupedInserts = new InsertBatcher<ClaimRecord>((docs) => OnceClaim.collection.insertMany(docs as never[], { ordered: false }));

async function insert(doc: NewClaim, grouped = false): Promise<boolean> {
  const record: ClaimRecord = { ...doc, doneAt: null, releasedAt: null, result: null };
  if (grouped) return groupedInserts.insert(record);
  try {
    await OnceClaim.collection.insertOne(record as never);
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

/** Plain claim: true when this call took `key`, false when someone holds it. */
export async function takeOnce(key: string, options: OnceOptions): Promise<boolean> {
  const now = options.now ?? new Date();
  return insert({
    _id: key,
    key,
    attempt: 0,
    owner: randomUUID(),
    leaseUntil: null,
    keepUntil: new Date(now.getTime() + options.keepMs),
    data: options.data ?? null,
  });
}

/** The plain claim of `key` (null when nobody holds it). */
export async function findOnce(key: string): Promise<ClaimRecord | null> {
  return OnceClaim.findById(key).lean<ClaimRecord>();
}

/** Give a plain claim back (e.g. a quota slot freed); only its holder calls this. */
export async function forgetOnce(key: string): Promise<void> {
  await OnceClaim.deleteOne({ _id: key });
}

/** Every attempt at `key`, oldest first (reads by `_id` only, the lookup FerretDB serves best). */
export async function attemptsOf(key: string): Promise<ClaimRecord[]> {
  const chain: ClaimRecord[] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const record = await OnceClaim.findById(attemptId(key, attempt)).lean<ClaimRecord>();
    if (!record) break;
    chain.push(record);
  }
  return chain;
}

/** The latest attempt at `key`, or null when the work was never claimed (or its claims expired). */
export async function latestAttempt(key: string): Promise<ClaimRecord | null> {
  return (await attemptsOf(key)).at(-1) ?? null;
}

export const isAbandoned = (record: ClaimRecord, now = Date.now()): boolean =>
  !record.doneAt && (record.releasedAt !== null || (record.leaseUntil !== null && record.leaseUntil.getTime() <= now));

/**
 * Leased claim: take the work, or learn it is done or in someone else's hands. An abandoned attempt
 * (lease expired or released) is taken over by inserting the next attempt: one winner.
 */
export async function claimLease(key: string, options: LeaseOptions): Promise<Attempt> {
  // Most work is new: insert attempt 0 straight away (one round trip); read the chain only when taken.
  const first = options.now ?? new Date();
  const fresh: Claim = { id: key, key, attempt: 0, owner: randomUUID(), leaseUntil: new Date(first.getTime() + options.leaseMs), data: options.data ?? null };
  const firstDoc = { _id: key, key, attempt: 0, owner: fresh.owner, leaseUntil: fresh.leaseUntil, data: fresh.data, keepUntil: new Date(first.getTime() + options.keepMs) };
  if (!options.taken && (await insert(firstDoc, options.grouped))) {
    return { kind: 'mine', claim: fresh, abandoned: null };
  }
  for (let round = 0; round < MAX_ATTEMPTS; round += 1) {
    const now = options.now ?? new Date();
    const latest = await latestAttempt(key);
    if (latest?.doneAt) return { kind: 'done', record: latest };
    // Done, with the mark kept elsewhere: read after the chain, so a mark written before the
    // latest attempt was read is seen here.
    const elsewhere = await options.doneElsewhere?.(key);
    if (elsewhere) {
      const base: ClaimRecord = latest ?? { ...firstDoc, doneAt: null, releasedAt: null, result: null };
      return { kind: 'done', record: { ...base, doneAt: elsewhere.doneAt, result: elsewhere.result } };
    }
    if (latest && !isAbandoned(latest, now.getTime())) return { kind: 'busy', record: latest };
    const claim: Claim = {
      id: attemptId(key, latest ? latest.attempt + 1 : 0),
      key,
      attempt: latest ? latest.attempt + 1 : 0,
      owner: randomUUID(),
      leaseUntil: new Date(now.getTime() + options.leaseMs),
      data: (options.carryData && latest?.data) || options.data || null,
    };
    const { id, ...fields } = claim;
    const taken = await insert({ _id: id, ...fields, keepUntil: new Date(now.getTime() + options.keepMs) });
    // Lost the race for this attempt: look again (it is now busy, or done).
    if (taken) return { kind: 'mine', claim, abandoned: latest && !latest.releasedAt ? latest : null };
  }
  throw new Error(`too many attempts at ${key}`);
}

/** The work is done: later attempts get `done` with `result`. */
export async function finishLease(claim: Pick<Claim, 'id'>, result: unknown = null): Promise<void> {
  await OnceClaim.updateOne({ _id: claim.id }, { $set: { doneAt: new Date(), result } });
}

/**
 * Several finished leases in one round trip (the Official Account's replies, batched). Until it is
 * written a retry finds the work busy and waits for it; if it is never written (a crash), the
 * next attempt takes the work over when the lease runs out — as after any crash.
 */
export async function finishLeases(finished: Array<{ claim: Pick<Claim, 'id'>; result: unknown; at: Date }>): Promise<void> {
  if (finished.length === 0) return;
  await OnceClaim.collection.bulkWrite(
    finished.map(({ claim, result, at }) => ({ updateOne: { filter: { _id: claim.id }, update: { $set: { doneAt: at, result } } } })) as never,
    { ordered: false },
  );
}

/** Nothing was written: the next attempt takes over at once instead of waiting for the lease. */
export async function releaseLease(claim: Pick<Claim, 'id'>): Promise<void> {
  await OnceClaim.updateOne({ _id: claim.id }, { $set: { releasedAt: new Date() } });
}

/**
 * Claims past their `keepUntil`. A key's attempts go together, newest first, and only when all of
 * them are past keeping — a gap in the chain would make an old attempt look like the latest.
 */
export async function deleteExpiredClaims(now = new Date()): Promise<number> {
  let deleted = 0;
  const kept = new Set<string>();
  // Batches until none is left (a busy Official Account claims thousands of messages an hour).
  for (let batch = 0; batch < 100; batch += 1) {
    const expired = await OnceClaim.find({ keepUntil: { $lt: now } }, { key: 1 }).limit(2000).lean<Array<{ key: string }>>();
    const keys = [...new Set(expired.map((record) => record.key))].filter((key) => !kept.has(key));
    if (keys.length === 0) break;
    for (const key of keys) {
      const chain = await attemptsOf(key);
      if (chain.length === 0 || chain.some((record) => record.keepUntil.getTime() >= now.getTime())) {
        kept.add(key);
        continue;
      }
      // Newest first, so no gap ever makes an old attempt look like the latest.
      for (const record of chain.reverse()) deleted += (await OnceClaim.deleteOne({ _id: record._id })).deletedCount;
    }
  }
  return deleted;
}

export const CLAIM_CLEANUP_JOB = 'once.delete-expired-claims';

export function onceJobs(jobs: JobRunner): void {
  jobs.define(CLAIM_CLEANUP_JOB, async () => void (await deleteExpiredClaims()), { concurrency: 1 });
  jobs.every('10 minutes', CLAIM_CLEANUP_JOB);
}
