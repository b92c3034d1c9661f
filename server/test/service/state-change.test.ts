// Claims: one writer per version, and a change interrupted by a crash is finished (or dropped)
// by whoever meets it later.
import { BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { OnceClaim } from '../../src/lib/once.js';
import { claimKey, StateChange, STATE_CHANGE_LEASE_MS, sweepClaims, versionClaim } from '../../src/modules/service/state-change.js';
import { WorkOrder } from '../../src/modules/service/work-order.model.js';
import { call, type TestServer } from '../helpers/server.js';
import { feedbackIn, useServerWithCast, type Cast } from './scenario.js';

let server: TestServer;
let cast: Cast;
useServerWithCast((started) => ({ server, cast } = started));

/** A version claim as a process left it (a lease that ran out `ago` ms ago when negative). */
async function leaveClaim(key: string, change: string, keys: string[], plan: string, leaseLeftMs = -1000) {
  const now = Date.now();
  await OnceClaim.collection.insertOne({
    _id: versionClaim(key),
    key: versionClaim(key),
    attempt: 0,
    owner: change,
    leaseUntil: new Date(now + leaseLeftMs),
    doneAt: null,
    releasedAt: null,
    keepUntil: new Date(now + 3600_000),
    data: { kind: 'state-change', change, action: 'test', by: 'x', keys, plan },
    result: null,
  } as never);
}
const latest = async (key: string) => OnceClaim.findById(versionClaim(key)).lean();

const load = async (orderId: string) => (await WorkOrder.findById(orderId).lean())!;

describe('claims', () => {
  it('claim keys: `<orderId>:<version>` for orders', () => {
    expect(claimKey('WorkOrder', 'abc', 3)).toBe('abc:3');
    expect(claimKey('Feedback', 'abc', 3)).toBe('feedback:abc:3');
    expect(claimKey('FollowUp', 'abc', 0)).toBe('follow-up:abc:0');
  });

  it('ten writers of the same version: one wins, nine get CONCURRENT_UPDATE, nothing is half-written', async () => {
    const { orderId } = await feedbackIn(cast, 'dispatched');
    const order = await load(orderId!);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => new StateChange('note', 'test').update('WorkOrder', order, { note: `writer ${i}` }).commit()),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(r.reason).toMatchObject({ status: 409, code: 'CONCURRENT_UPDATE' });
    }
    const after = await load(orderId!);
    expect(after.version).toBe(order.version + 1);
    expect(after.note).toMatch(/^writer \d$/);
    const claim = await latest(`${orderId}:${order.version}`);
    expect(claim).toMatchObject({ data: { action: 'note' }, doneAt: expect.any(Date) });
  });

  it('a losing change gives back the claims it took, so it blocks nobody', async () => {
    const { id, orderId } = await feedbackIn(cast, 'dispatched');
    const order = await load(orderId!);
    const feedback = (await Feedback.findById(id).lean())!;
    // Someone holds the request's version: a change of order + request fails on the second claim.
    await new StateChange('other', 'test').update('Feedback', feedback, {}).commit();
    await expect(new StateChange('both', 'test').update('WorkOrder', order, { note: 'x' }).update('Feedback', feedback, {}).commit()).rejects.toMatchObject({
      code: 'CONCURRENT_UPDATE',
    });
    expect(await latest(claimKey('WorkOrder', orderId!, order.version))).toMatchObject({ releasedAt: expect.any(Date) });
    await new StateChange('again', 'test').update('WorkOrder', order, { note: 'free' }).commit();
    expect((await load(orderId!)).note).toBe('free');
  });

  it('a change that crashed after claiming is finished by the next one who runs into it', async () => {
    const { id, orderId } = await feedbackIn(cast, 'dispatched');
    const order = await load(orderId!);
    const feedback = (await Feedback.findById(id).lean())!;
    // As a process that died after taking both claims of an accept, before writing anything.
    const keys = [claimKey('WorkOrder', orderId!, order.version), claimKey('Feedback', id, feedback.version)];
    const plan = BSON.EJSON.stringify(
      [
        { op: 'update', model: 'WorkOrder', id: orderId, version: order.version, set: { status: 'accepted', acceptedAt: new Date() } },
        { op: 'update', model: 'Feedback', id, version: feedback.version, set: { status: 'accepted' }, push: { events: [{ kind: 'accepted', at: new Date(), engineerId: cast.engineer.id }] } },
      ],
    );
    for (const key of keys) await leaveClaim(key, 'dead-process', keys, plan);

    // The engineer's next look at the order finishes the accept.
    const answer = await call(server.url, `/api/v1/feedbacks/${id}`, { token: cast.engineer.token });
    expect(answer.status).toBe(200);
    expect(await load(orderId!)).toMatchObject({ status: 'accepted', version: order.version + 1 });
    const after = (await Feedback.findById(id).lean())!;
    expect(after).toMatchObject({ status: 'accepted', version: feedback.version + 1 });
    expect(after.events.filter((e) => e.kind === 'accepted')).toHaveLength(1);
    // Finishing is idempotent.
    expect(await sweepClaims()).toBe(0);
    expect((await Feedback.findById(id).lean())!.events.filter((e) => e.kind === 'accepted')).toHaveLength(1);
  });

  it('a change that crashed while claiming is dropped by the sweep, freeing the version', async () => {
    const { id, orderId } = await feedbackIn(cast, 'dispatched');
    const order = await load(orderId!);
    const feedback = (await Feedback.findById(id).lean())!;
    const keys = [claimKey('WorkOrder', orderId!, order.version), claimKey('Feedback', id, feedback.version)];
    const plan = BSON.EJSON.stringify([{ op: 'update', model: 'WorkOrder', id: orderId, version: order.version, set: { status: 'rejected' } }]);
    // Only the first of its two claims was taken.
    await leaveClaim(keys[0]!, 'half-process', keys, plan);
    expect(await sweepClaims()).toBe(1);
    expect(await latest(keys[0]!)).toMatchObject({ releasedAt: expect.any(Date) });
    expect((await load(orderId!)).status).toBe('pending');
    const accepted = await call(server.url, `/api/v1/work-orders/${orderId}/accept`, { token: cast.engineer.token, method: 'POST' });
    expect(accepted.status).toBe(200);
  });

  it('a change that crashed while claiming is dropped by the next action, which succeeds', async () => {
    const { id, orderId } = await feedbackIn(cast, 'dispatched');
    const order = await load(orderId!);
    const feedback = (await Feedback.findById(id).lean())!;
    const keys = [claimKey('WorkOrder', orderId!, order.version), claimKey('Feedback', id, feedback.version)];
    const plan = BSON.EJSON.stringify([{ op: 'update', model: 'WorkOrder', id: orderId, version: order.version, set: { status: 'rejected' } }]);
    await leaveClaim(keys[0]!, 'half-process-2', keys, plan);
    const accepted = await call(server.url, `/api/v1/work-orders/${orderId}/accept`, { token: cast.engineer.token, method: 'POST' });
    expect(accepted.status).toBe(200);
    expect(await load(orderId!)).toMatchObject({ status: 'accepted', version: order.version + 1 });
    expect(await sweepClaims()).toBe(0);
  });

  it('a writer that read before a dead change was finished loses, however often it tries', async () => {
    const { orderId } = await feedbackIn(cast, 'dispatched');
    const stale = await load(orderId!);
    const key = claimKey('WorkOrder', orderId!, stale.version);
    const plan = BSON.EJSON.stringify([{ op: 'update', model: 'WorkOrder', id: orderId, version: stale.version, set: { note: 'dead change' } }]);
    await leaveClaim(key, 'dead-committed', [key], plan);
    for (let i = 0; i < 3; i += 1) {
      await expect(new StateChange('late', 'test').update('WorkOrder', stale, { note: `late ${i}` }).commit()).rejects.toMatchObject({ code: 'CONCURRENT_UPDATE' });
    }
    expect(await load(orderId!)).toMatchObject({ note: 'dead change', version: stale.version + 1 });
  });

  it('a recent unfinished claim is left alone (its owner may still be writing)', async () => {
    const { orderId } = await feedbackIn(cast, 'dispatched');
    const order = await load(orderId!);
    const key = claimKey('WorkOrder', orderId!, order.version);
    await leaveClaim(key, 'busy', [key], '[]', STATE_CHANGE_LEASE_MS);
    await expect(new StateChange('n', 'test').update('WorkOrder', order, {}).commit()).rejects.toMatchObject({ code: 'CONCURRENT_UPDATE' });
    expect(await sweepClaims()).toBe(0);
    expect(await latest(key)).toMatchObject({ doneAt: null, releasedAt: null });
  });
});
