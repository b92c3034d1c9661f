// kill -9 of the real server during work-order changes: after a restart on the same database, the
// engineer's next action finishes (or drops) what the dead process left, and succeeds.
import { BSON } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { OnceClaim } from '../../src/lib/once.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { claimKey, STATE_CHANGE_LEASE_MS, versionClaim } from '../../src/modules/service/state-change.js';
import { WorkOrder } from '../../src/modules/service/work-order.model.js';
import { useServerProcess } from '../helpers/process.js';
import { call } from '../helpers/server.js';
import { createCast, feedbackIn, visitInput, type Cast } from '../service/scenario.js';

let cast: Cast;
const proc = useServerProcess(async () => {
  cast = await createCast();
});

const act = (orderId: string, action: 'accept' | 'visits' | 'complete', body?: unknown) =>
  call(proc.server!.url, `/api/v1/work-orders/${orderId}/${action}`, { token: cast.engineer.token, method: 'POST', body });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The order and its request agree, and each step happened once. */
async function expectCompletedOnce(feedbackId: string, orderId: string) {
  const order = (await WorkOrder.findById(orderId).lean())!;
  const feedback = (await Feedback.findById(feedbackId).lean())!;
  expect(order.status).toBe('completed');
  expect(feedback.status).toBe('completed');
  const kinds = feedback.events.map((event) => event.kind);
  for (const kind of ['accepted', 'visit', 'completed'] as const) expect(kinds.filter((k) => k === kind), `${kind} of ${feedbackId}`).toHaveLength(1);
  expect(order.visitCount).toBe(1);
}

/** The engineer carries on from wherever the order is (as the app shows it): every step answers 200. */
async function carryOn(feedbackId: string, orderId: string) {
  for (let step = 0; step < 4; step += 1) {
    const detail = await call(proc.server!.url, `/api/v1/feedbacks/${feedbackId}`, { token: cast.engineer.token });
    expect(detail.status).toBe(200);
    const status = detail.body.workOrder.status as string;
    if (status === 'completed') return;
    const answer =
      status === 'pending' ? await act(orderId, 'accept') : status === 'accepted' ? await act(orderId, 'visits', visitInput()) : await act(orderId, 'complete', { summary: '已修复' });
    expect(answer.status, `${status}: ${JSON.stringify(answer.body)}`).toBe(200);
  }
  throw new Error(`order ${orderId} not completed`);
}

describe('state changes interrupted by a crash', () => {
  it('an accept that wrote the order but not the request: the next action finishes it and succeeds', { timeout: 30_000 }, async () => {
    const { id, orderId } = await feedbackIn(cast, 'dispatched');
    const order = (await WorkOrder.findById(orderId).lean())!;
    const feedback = (await Feedback.findById(id).lean())!;
    const now = new Date();
    // What a process killed between the two writes of an accept leaves behind: both claims, the order written.
    const keys = [claimKey('WorkOrder', orderId!, order.version), claimKey('Feedback', id, feedback.version)];
    const plan = BSON.EJSON.stringify([
      { op: 'update', model: 'WorkOrder', id: orderId, version: order.version, set: { status: 'accepted', acceptedAt: now } },
      { op: 'update', model: 'Feedback', id, version: feedback.version, set: { status: 'accepted' }, push: { events: [{ kind: 'accepted', at: now, actorId: cast.engineer.id, engineerId: cast.engineer.id }] } },
    ]);
    for (const key of keys) {
      await OnceClaim.collection.insertOne({
        _id: versionClaim(key),
        key: versionClaim(key),
        attempt: 0,
        owner: 'killed-process',
        leaseUntil: new Date(now.getTime() + STATE_CHANGE_LEASE_MS - 60_000),
        doneAt: null,
        releasedAt: null,
        keepUntil: new Date(now.getTime() + 86_400_000),
        data: { kind: 'state-change', change: 'killed-change', action: 'accept', by: cast.engineer.id, keys, plan },
        result: null,
      } as never);
    }
    await WorkOrder.updateOne({ _id: orderId }, { $set: { status: 'accepted', acceptedAt: now, version: order.version + 1 } });

    // The engineer's next action is a visit, then completion: neither answers 409.
    await carryOn(id, orderId!);
    await expectCompletedOnce(id, orderId!);
  });

  it('concurrent honest actions still have exactly one winner', { timeout: 30_000 }, async () => {
    const { orderId } = await feedbackIn(cast, 'dispatched');
    const results = await Promise.all(Array.from({ length: 6 }, () => act(orderId!, 'accept')));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) expect(r.status).toBe(409);
  });

  it('kill -9 during a burst of accepts and completes: after the restart every order is carried to completion, each step once', { timeout: 60_000 }, async () => {
    const requests = [];
    for (let i = 0; i < 8; i += 1) requests.push({ ...(await feedbackIn(cast, i % 2 ? 'dispatched' : 'in_progress')), accept: i % 2 === 1 });
    const first = proc.server!;
    const burst = Promise.all(
      requests.map(({ orderId, accept }) => (accept ? act(orderId!, 'accept') : act(orderId!, 'complete', { summary: '已修复' })).then((r) => r.status, () => 0)),
    );
    // Kill while changes are in flight: a claim taken and not yet finished.
    const end = Date.now() + 10_000;
    const inFlight = { 'data.kind': 'state-change', 'data.action': { $in: ['accept', 'complete'] }, doneAt: null, releasedAt: null };
    while (Date.now() < end && (await OnceClaim.countDocuments(inFlight)) === 0) await sleep(2);
    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    const statuses = await burst;
    const open = await OnceClaim.countDocuments({ 'data.kind': 'state-change', doneAt: null, releasedAt: null });
    console.info(`state-change crash: ${statuses.filter((s) => s !== 200).length} of ${statuses.length} actions cut off, ${open} claims left open`);
    expect(statuses.filter((s) => s !== 200).length).toBeGreaterThan(0);

    await proc.restart();
    // A change's owner has its lease to finish; after that the next touch takes over.
    await sleep(Math.max(0, killedAt + STATE_CHANGE_LEASE_MS - Date.now()));
    for (const { id, orderId } of requests) await carryOn(id, orderId!);
    for (const { id, orderId } of requests) await expectCompletedOnce(id, orderId!);
  });
});
