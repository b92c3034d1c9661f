// Work orders carry their request's department, number and requested time (the engineers'
// reports scope and show orders by them): written at dispatch, kept through 改派 and 转派, moved
// with the customer, filled in on start for earlier orders. And what a department sees of them.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { fillWorkOrderFields, migrateWorkOrderFields } from '../../src/db/migrations/work-order-fields.js';
import { Staff } from '../../src/modules/identity/staff.model.js';
import { submitFeedback } from '../../src/modules/service/feedback.service.js';
import { WorkOrder } from '../../src/modules/service/work-order.model.js';
import { acceptWorkOrder, transferWorkOrder } from '../../src/modules/service/work-order.service.js';
import { adminToken, createCustomer, createDispatcher, createEngineer, unique, verifiedCustomerSession } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { feedbackInput, recordingDeps, viewerOf } from '../service/scenario.js';
import { figures, reportClient, rows } from './report-client.js';

let server: TestServer;
let admin: string;
let east: string;
let west: string;

useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
  const department = async (name: string) => (await call(server.url, '/api/v1/departments', { token: admin, body: { name: unique(name) } })).body.id as string;
  east = await department('华东服务');
  west = await department('华西服务');
});

const api = (path: string, token: string, options: { method?: string; body?: unknown } = {}) => call(server.url, `/api/v1${path}`, { token, ...options });
const { report } = reportClient(() => server.url);
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const orderOf = async (id: string) => (await WorkOrder.findById(id).lean())!;

/** A request of a customer of `department`, with a requested time two days ahead. */
async function requestIn(department: string) {
  const customer = await createCustomer({ department });
  const session = await verifiedCustomerSession({ customer });
  const requestedBy = new Date(Math.ceil((Date.now() + 48 * 3600_000) / 1000) * 1000);
  const { detail } = await submitFeedback(session.wechatUserId, feedbackInput({ requestedBy: requestedBy.toISOString() }));
  return { id: detail.id, number: detail.number, requestedBy, customer };
}

async function dispatch(token: string, feedbackId: string, engineerId: string): Promise<string> {
  const sent = await api(`/feedbacks/${feedbackId}/dispatch`, token, { body: { engineerId, note: '' } });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  return sent.body.workOrder.id as string;
}

describe('an order’s request fields', () => {
  it('are the request’s at dispatch, stay through 改派 and 转派, and follow the customer to another department', async () => {
    const dispatcher = await createDispatcher(east);
    const [a, b, c] = [await createEngineer({ name: '甲' }), await createEngineer({ name: '乙' }), await createEngineer({ name: '丙' })];
    const request = await requestIn(east);
    const untouched = await requestIn(east);

    const first = await dispatch(dispatcher.token, request.id, a.id);
    expect(await orderOf(first)).toMatchObject({ department: east, requestNumber: request.number, requestedBy: request.requestedBy });
    // 改派: a new order, with the same fields.
    const second = await dispatch(dispatcher.token, request.id, b.id);
    expect(second).not.toBe(first);
    expect(await orderOf(second)).toMatchObject({ department: east, requestNumber: request.number, assigneeId: b.id });
    // 转派 by the engineer: the same order, another assignee.
    await acceptWorkOrder(viewerOf(b), second, recordingDeps());
    await transferWorkOrder(viewerOf(b), second, { engineerId: c.id, reason: '换人' }, recordingDeps());
    expect(await orderOf(second)).toMatchObject({ department: east, assigneeId: c.id });
    const other = await dispatch(dispatcher.token, untouched.id, a.id);

    const moved = await api(`/customers/${String(request.customer._id)}`, admin, { method: 'PUT', body: { name: request.customer.name, region: '成都', department: west } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect((await orderOf(first)).department).toBe(west);
    expect((await orderOf(second)).department).toBe(west);
    expect((await orderOf(other)).department).toBe(east);
  });
});

describe('the start-up fill', () => {
  const raw = (name: string) => mongoose.connection.collection(name);
  const feedbackId = new mongoose.Types.ObjectId();
  const orderIds = [new mongoose.Types.ObjectId(), new mongoose.Types.ObjectId()];
  const requestedBy = new Date('2026-03-04T05:00:00Z');
  const number = unique('FWOLD-');

  beforeAll(async () => {
    await raw('feedbacks').insertOne({
      _id: feedbackId,
      number,
      clientRequestId: randomUUID(),
      wechatUserId: 'old-user',
      customerId: 'c',
      contactId: 'k',
      type: 'repair',
      status: 'dispatched',
      description: '旧',
      contactPhone: '13800000000',
      department: 'dept-old',
      requestedBy,
      createdAt: new Date(),
    });
    // As an earlier version wrote them: no department, number or requested time; one of a request that is gone.
    await raw('work_orders').insertMany([
      { _id: orderIds[0]!, feedbackId: String(feedbackId), assigneeId: 'eng-a', collaboratorIds: [], status: 'pending', dispatchedAt: new Date() },
      { _id: orderIds[1]!, feedbackId: new mongoose.Types.ObjectId().toHexString(), assigneeId: 'eng-a', collaboratorIds: [], status: 'cancelled', dispatchedAt: new Date() },
    ]);
  });

  it('gives earlier orders their request’s fields, once per database, and changes nothing when run again', async () => {
    // Ran at this server's start already (before these orders): skipped unless forced.
    expect((await migrateWorkOrderFields()).ran).toBe(false);
    const run = await migrateWorkOrderFields({ force: true });
    expect(run.ran).toBe(true);
    expect(run.records.work_orders).toBeGreaterThanOrEqual(2);
    expect(await WorkOrder.findById(orderIds[0]).lean()).toMatchObject({ department: 'dept-old', requestNumber: number, requestedBy });
    expect(await WorkOrder.findById(orderIds[1]).lean()).toMatchObject({ department: '', requestNumber: '', requestedBy: null });
    // A second run (another process, or one cut short before its marker) writes nothing.
    expect(await fillWorkOrderFields(orderIds.map(String))).toBe(0);
    await migrateWorkOrderFields({ force: true });
    expect(await WorkOrder.findById(orderIds[0]).lean()).toMatchObject({ department: 'dept-old', requestNumber: number });
  });
});

describe('what a department sees', () => {
  it('a dispatcher’s workload and calendar hold their department’s orders, whoever the engineer; admin all', async () => {
    const south = await api('/departments', admin, { body: { name: unique('华南服务') } });
    const north = await api('/departments', admin, { body: { name: unique('华北服务') } });
    const [southId, northId] = [south.body.id as string, north.body.id as string];
    const southDispatcher = await createDispatcher(southId);
    const northDispatcher = await createDispatcher(northId);
    const southEngineer = { ...(await createEngineer({ department: southId, name: unique('南工') })), name: '' };
    const northEngineer = { ...(await createEngineer({ department: northId, name: unique('北工') })), name: '' };
    southEngineer.name = southEngineer.doc.name;
    northEngineer.name = northEngineer.doc.name;
    // Two southern requests to the southern engineer, one to the northern; one northern request to him.
    for (const engineer of [southEngineer, southEngineer, northEngineer]) await dispatch(southDispatcher.token, (await requestIn(southId)).id, engineer.id);
    await dispatch(northDispatcher.token, (await requestIn(northId)).id, northEngineer.id);

    const period = `from=${today()}&to=${today()}`;
    const workload = (token: string) => report('engineer-workload', token, period);
    const mine = (body: any) => rows(body, 'by-engineer').filter((row: any) => [southEngineer.name, northEngineer.name].includes(row.engineer));
    expect(mine(await workload(southDispatcher.token))).toEqual([
      { engineer: southEngineer.name, open: 2, completed: 0, dispatched: 2, rejected: 0 },
      { engineer: northEngineer.name, open: 1, completed: 0, dispatched: 1, rejected: 0 },
    ]);
    expect(figures(await workload(southDispatcher.token))).toMatchObject({ dispatched: 3, open: 3 });
    // The northern dispatcher: his own engineer's one northern order; the southern engineer is not theirs and holds none of theirs.
    expect(rows(await workload(northDispatcher.token), 'by-engineer')).toEqual([{ engineer: northEngineer.name, open: 1, completed: 0, dispatched: 1, rejected: 0 }]);
    // Equal load: by name (北 before 南).
    expect(mine(await workload(admin)).map((row: any) => [row.engineer, row.dispatched])).toEqual([
      [northEngineer.name, 2],
      [southEngineer.name, 2],
    ]);

    const calendar = async (token: string) => {
      const body = await report('dispatch-calendar', token, period);
      return Object.fromEntries(body.calendar.engineers.map((e: any) => [e.name, (e.cells[today()] ?? []).length]));
    };
    expect(await calendar(southDispatcher.token)).toEqual({ [southEngineer.name]: 2, [northEngineer.name]: 1 });
    expect(await calendar(northDispatcher.token)).toEqual({ [northEngineer.name]: 1 });
    // Another department's request is not reachable either.
    const northern = await requestIn(northId);
    expect((await api(`/feedbacks/${northern.id}/dispatch`, southDispatcher.token, { body: { engineerId: southEngineer.id, note: '' } })).status).toBe(404);
  });

  it('a calendar cell lists the first 3 orders of the day and counts the rest; the total counts them all', async () => {
    const department = (await api('/departments', admin, { body: { name: unique('华中服务') } })).body.id as string;
    const dispatcher = await createDispatcher(department);
    const engineer = await createEngineer({ name: unique('中工'), department });
    const numbers: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const request = await requestIn(department);
      await dispatch(dispatcher.token, request.id, engineer.id);
      numbers.push(request.number);
    }
    const body = await report('dispatch-calendar', dispatcher.token, `from=${today()}&to=${today()}`);
    expect(body.calendar.engineers).toHaveLength(1);
    const [row] = body.calendar.engineers;
    expect(row.cells[today()].map((entry: any) => entry.number)).toEqual(numbers.slice(0, 3));
    expect(row.more).toEqual({ [today()]: 2 });
    expect(figures(body)).toEqual({ orders: 5, engineers: 1 });
    const [tableRow] = rows(body, 'calendar');
    expect(tableRow.total).toBe(5);
    expect(tableRow[today()].split('\n').at(-1)).toBe('另有 2 单');
  });

  it('someone who is no engineer any more keeps their orders in the reports (found when the totals say so)', async () => {
    const department = (await api('/departments', admin, { body: { name: unique('西北服务') } })).body.id as string;
    const dispatcher = await createDispatcher(department);
    const engineer = await createEngineer({ name: unique('转岗工'), department });
    for (let i = 0; i < 2; i += 1) await dispatch(dispatcher.token, (await requestIn(department)).id, engineer.id);
    await Staff.updateOne({ _id: engineer.id }, { $set: { role: 'dispatcher' } });
    const period = `from=${today()}&to=${today()}`;
    const workload = await report('engineer-workload', dispatcher.token, period);
    expect(rows(workload, 'by-engineer')).toEqual([{ engineer: engineer.doc.name, open: 2, completed: 0, dispatched: 2, rejected: 0 }]);
    const calendar = await report('dispatch-calendar', dispatcher.token, period);
    expect(calendar.calendar.engineers.map((e: any) => [e.name, e.cells[today()].length])).toEqual([[engineer.doc.name, 2]]);
    expect(figures(calendar)).toEqual({ orders: 2, engineers: 1 });
  });
});
