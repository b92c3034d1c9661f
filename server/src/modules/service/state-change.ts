// Every change of a request, work order or follow-up goes through here: read (with `version`) →
// check the state machine → claim → write. No transactions, and no atomic compare-and-set on
// FerretDB, so:
//   1. each document written claims its current version: an insert of `<key>:<version>` into
//      work_order_claims (unique `_id`: exactly one writer wins; the others get 409);
//   2. when every claim of the change is taken, the change is committed: its ordered, idempotent
//      writes run (each update sets `version + 1`, new documents have their `_id` chosen up front);
//   3. a change interrupted after its claims (a crash) is finished — or, if not all of its claims
//      were taken, dropped — by whoever runs into its claim later, or by the periodic sweep.
import { randomUUID } from 'node:crypto';
import { BSON } from 'mongodb';
import type { Model } from 'mongoose';
import { conflict } from '../../errors.js';
import { isDuplicateKey } from '../../lib/db.js';
import { Feedback } from './feedback.model.js';
import { FollowUp } from './follow-up.model.js';
import { Visit } from './visit.model.js';
import { WorkOrderClaim, type WorkOrderClaimDoc } from './work-order-claim.model.js';
import { WorkOrder } from './work-order.model.js';

const MODELS = { Feedback, WorkOrder, Visit, FollowUp } as unknown as Record<ModelName, Model<any>>;
type ModelName = 'Feedback' | 'WorkOrder' | 'Visit' | 'FollowUp';
export type VersionedModel = 'Feedback' | 'WorkOrder' | 'FollowUp';

/** A claim older than this whose change never finished belongs to a process that died. */
export const ABANDONED_CLAIM_MS = 60_000;
/** Finished claims are kept this long: a request that read a version earlier still loses its race. */
const CLAIM_RETENTION_MS = 24 * 3600_000;

type Write =
  | { op: 'insert'; model: ModelName; doc: Record<string, unknown> }
  | { op: 'update'; model: VersionedModel; id: string; version: number; set: Record<string, unknown>; push?: Record<string, unknown[]> };

interface Versioned {
  _id: unknown;
  version: number;
}

export const claimKey = (model: VersionedModel, id: string, version: number): string =>
  model === 'WorkOrder' ? `${id}:${version}` : `${model === 'Feedback' ? 'feedback' : 'follow-up'}:${id}:${version}`;

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
    const owner = randomUUID();
    const plan = BSON.EJSON.stringify(this.writes);
    const taken: string[] = [];
    for (const key of this.keys) {
      try {
        await WorkOrderClaim.create({ _id: key, action: this.action, by: this.by, owner, keys: this.keys, plan, at: new Date() });
        taken.push(key);
      } catch (error) {
        // Nothing was written yet: give back what this change took, so it blocks no one.
        for (const mine of taken) await WorkOrderClaim.deleteOne({ _id: mine });
        if (!isDuplicateKey(error)) throw error;
        await finishIfAbandoned(key);
        throw concurrentUpdate();
      }
    }
    await runWrites(this.writes, false);
    for (const key of taken) await WorkOrderClaim.updateOne({ _id: key }, { $set: { doneAt: new Date() } });
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

/** A change whose claim is older than ABANDONED_CLAIM_MS and not done: finish it, or drop it if it never committed. */
async function finishIfAbandoned(key: string, now = Date.now()): Promise<void> {
  const claim = await WorkOrderClaim.findById(key).lean<WorkOrderClaimDoc & { _id: string }>();
  if (!claim || claim.doneAt || now - claim.at.getTime() < ABANDONED_CLAIM_MS) return;
  await recover(claim);
}

async function recover(claim: WorkOrderClaimDoc & { _id: string }): Promise<void> {
  const siblings = await Promise.all(claim.keys.map((key) => WorkOrderClaim.findById(key, { owner: 1 }).lean<{ owner: string }>()));
  if (siblings.every((sibling) => sibling?.owner === claim.owner)) {
    await runWrites(BSON.EJSON.parse(claim.plan) as Write[], true);
    for (const key of claim.keys) await WorkOrderClaim.updateOne({ _id: key }, { $set: { doneAt: new Date() } });
  } else {
    // Interrupted while claiming: nothing was written. Free the versions it holds.
    await WorkOrderClaim.deleteMany({ owner: claim.owner, doneAt: null });
  }
}

/** Periodic: finish interrupted changes, forget old finished claims. Returns how many were recovered. */
export async function sweepClaims(now = Date.now()): Promise<number> {
  const abandoned = await WorkOrderClaim.find({ doneAt: null, at: { $lt: new Date(now - ABANDONED_CLAIM_MS) } }).lean<
    Array<WorkOrderClaimDoc & { _id: string }>
  >();
  const owners = new Set<string>();
  for (const claim of abandoned) {
    if (owners.has(claim.owner)) continue;
    owners.add(claim.owner);
    await recover(claim);
  }
  await WorkOrderClaim.deleteMany({ doneAt: { $ne: null, $lt: new Date(now - CLAIM_RETENTION_MS) } });
  return owners.size;
}
