// Every change of a request, work order or follow-up goes through here: read (with `version`) →
// check the state machine → claim → write. No transactions, and no atomic compare-and-set on
// FerretDB, so (docs/only-once.md):
//   1. each document written claims its current version: a leased claim of `<key>:<version>`
//      (lib/once.ts — exactly one writer wins; the others get 409);
//   2. when every claim of the change is taken, the change is committed: its ordered, idempotent
//      writes run (each update sets `version + 1`, new documents have their `_id` chosen up front);
//   3. a change whose owner died (lease expired) is finished — or, if not all of its claims were
//      taken, dropped — by the next one who touches it: reading the document for an action
//      (`settleAbandoned`), or claiming the same version. The periodic sweep is a backstop.
import { randomUUID } from 'node:crypto';
import { BSON } from 'mongodb';
import type { Model } from 'mongoose';
import { conflict } from '../../errors.js';
import { isDuplicateKey } from '../../lib/db.js';
import { attemptsOf, claimLease, finishLease, isAbandoned, latestAttempt, OnceClaim, releaseLease, type Claim, type ClaimRecord } from '../../lib/once.js';
import { Feedback, NEVER_OVERDUE } from './feedback.model.js';
import { FollowUp } from './follow-up.model.js';
import { Visit } from './visit.model.js';
import { CHANGE_KIND, changeData, claimRecordsOf, type ChangeData } from './work-order-claim.model.js';
import { WorkOrder } from './work-order.model.js';

const MODELS = { Feedback, WorkOrder, Visit, FollowUp } as unknown as Record<ModelName, Model<any>>;
type ModelName = 'Feedback' | 'WorkOrder' | 'Visit' | 'FollowUp';
export type VersionedModel = 'Feedback' | 'WorkOrder' | 'FollowUp';

/** A change takes milliseconds; one whose owner has not finished it after this was abandoned (a crash). */
export const STATE_CHANGE_LEASE_MS = 10_000;
/** A change that finds less than this left of its lease after claiming does not write (it may be taken over). */
const LEASE_MARGIN_MS = 2_000;
/** Claims are kept this long: a request that read a version earlier still loses its race. */
export const STATE_CLAIM_KEEP_MS = 24 * 3600_000;

type Write =
  | { op: 'insert'; model: ModelName; doc: Record<string, unknown> }
  | { op: 'update'; model: VersionedModel; id: string; version: number; set: Record<string, unknown>; push?: Record<string, unknown[]> };

interface Versioned {
  _id: unknown;
  version: number;
}

export const claimKey = (model: VersionedModel, id: string, version: number): string =>
  model === 'WorkOrder' ? `${id}:${version}` : `${model === 'Feedback' ? 'feedback' : 'follow-up'}:${id}:${version}`;

/** The key in once_claims of a document version. */
export const versionClaim = (key: string) => `change:${key}`;
const recoveryClaim = (change: string) => `change-recovery:${change}`;
const lease = { leaseMs: STATE_CHANGE_LEASE_MS, keepMs: STATE_CLAIM_KEEP_MS };

export const concurrentUpdate = () => conflict('CONCURRENT_UPDATE', '该记录刚被其他人更新，请刷新后重试');

/** One change: `update` the documents it writes (in the order their claims are taken), `insert` new ones. */
export class StateChange {
  private readonly keys: string[] = [];
  private readonly writes: Write[] = [];

  constructor(
    readonly action: string,
    readonly by: string,
  ) {}

  update(model: VersionedModel, doc: Versioned, set: Record<string, unknown>, push?: Record<string, unknown[]>): this {
    const id = String(doc._id);
    // Whatever completes a request also takes it off the overdue range (feedback.model.ts).
    if (model === 'Feedback' && set.status === 'completed') set = { ...set, overdueAt: NEVER_OVERDUE };
    this.keys.push(claimKey(model, id, doc.version));
    this.writes.push({ op: 'update', model, id, version: doc.version, set, ...(push ? { push } : {}) });
    return this;
  }

  insert(model: ModelName, doc: Record<string, unknown> & { _id: unknown }): this {
    this.writes.push({ op: 'insert', model, doc });
    return this;
  }

  /** Claims, then writes. Throws 409 CONCURRENT_UPDATE when another change got there first. */
  async commit(): Promise<void> {
    const data: ChangeData = { kind: CHANGE_KIND, change: randomUUID(), action: this.action, by: this.by, keys: this.keys, plan: BSON.EJSON.stringify(this.writes) };
    const taken: Claim[] = [];
    // Nothing was written yet: give back what this change took, so it blocks no one.
    const giveUp = async () => {
      for (const claim of taken) await releaseLease(claim);
      return concurrentUpdate();
    };
    for (const key of this.keys) {
      const attempt = await claimLease(versionClaim(key), { ...lease, data: { ...data } });
      if (attempt.kind !== 'mine') throw await giveUp();
      // We took over a dead change's claim of this version. Dropped (it never wrote): the version
      // is ours. Finished: that version is used up (our claim of it stays, done) and our read is stale.
      if (attempt.abandoned && (await recoverChange(attempt.abandoned)) === 'finished') {
        await finishLease(attempt.claim);
        throw await giveUp();
      }
      taken.push(attempt.claim);
    }
    if (taken[0] && taken[0].leaseUntil.getTime() - Date.now() < LEASE_MARGIN_MS) throw await giveUp();
    await runWrites(this.writes, false);
    for (const claim of taken) await finishLease(claim);
  }
}

async function runWrites(writes: Write[], replaying: boolean): Promise<void> {
  for (const write of writes) {
    const model = MODELS[write.model];
    if (write.op === 'insert') {
      try {
        await model.create(write.doc);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error; // written before the interruption
      }
      continue;
    }
    // Only the claim holder writes this version, so the filter is `_id` alone (the one FerretDB
    // serves without a scan). A replay first checks the write did not happen yet.
    if (replaying) {
      const current = await model.findById(write.id, { version: 1 }).lean<{ version: number }>();
      if (!current || current.version !== write.version) continue;
    }
    const push = write.push && Object.keys(write.push).length > 0
      ? { $push: Object.fromEntries(Object.entries(write.push).map(([field, items]) => [field, { $each: items }])) }
      : {};
    await model.updateOne({ _id: write.id }, { $set: { ...write.set, version: write.version + 1 }, ...push });
  }
}

type Recovery = 'finished' | 'dropped';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An abandoned change: finish it when all of its claims were taken (it may have written part of
 * its plan), else drop it (it wrote nothing). Recovering is itself claimed, so it runs once.
 */
async function recoverChange(record: ClaimRecord): Promise<Recovery> {
  const data = changeData(record);
  if (!data) return 'dropped';
  let attempt = await claimLease(recoveryClaim(data.change), lease);
  // Someone else is recovering it (a few writes): wait for the outcome, or take over if they die too.
  while (attempt.kind === 'busy') {
    await sleep(50);
    attempt = await claimLease(recoveryClaim(data.change), lease);
  }
  if (attempt.kind === 'done') return attempt.record.result === 'finished' ? 'finished' : 'dropped';
  const chains = await Promise.all(data.keys.map((key) => attemptsOf(versionClaim(key))));
  const committed = chains.every((chain) => chain.some((claim) => changeData(claim)?.change === data.change));
  if (committed) await runWrites(BSON.EJSON.parse(data.plan) as Write[], true);
  // Mark its claims, so nobody recovers it again.
  const mark = committed ? { doneAt: new Date() } : { releasedAt: new Date() };
  for (const claim of claimRecordsOf(chains.flat(), data.change)) {
    if (!claim.doneAt && !claim.releasedAt) await OnceClaim.updateOne({ _id: claim._id }, { $set: mark });
  }
  await finishLease(attempt.claim, committed ? 'finished' : 'dropped');
  return committed ? 'finished' : 'dropped';
}

/**
 * The next touch: before an action works on documents it just read, finish (or drop) a dead
 * change that still holds one of their versions. True when something was finished: the caller
 * must read the documents again.
 */
export async function settleAbandoned(docs: Array<[VersionedModel, Versioned | null | undefined]>, now = Date.now()): Promise<boolean> {
  let finished = false;
  for (const [model, doc] of docs) {
    if (!doc) continue;
    const latest = await latestAttempt(versionClaim(claimKey(model, String(doc._id), doc.version)));
    if (!latest || latest.releasedAt || !isAbandoned(latest, now)) continue;
    if ((await recoverChange(latest)) === 'finished') finished = true;
  }
  return finished;
}

/** Periodic backstop: recover changes nobody touched since their owner died. Returns how many. */
export async function sweepClaims(now = Date.now()): Promise<number> {
  const abandoned = await OnceClaim.find({ 'data.kind': CHANGE_KIND, doneAt: null, releasedAt: null, leaseUntil: { $lt: new Date(now) } }).lean<ClaimRecord[]>();
  const changes = new Set<string>();
  let recovered = 0;
  for (const claim of abandoned) {
    const change = changeData(claim)?.change;
    if (!change || changes.has(change)) continue;
    changes.add(change);
    await recoverChange(claim);
    recovered += 1;
  }
  return recovered;
}
