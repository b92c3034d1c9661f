// The dispatch calendar (派工日历) reads day rollups of work orders (report_calendar_days): every
// change through the services shows in the very next calendar — dispatch, accept, 改派, 转派,
// reject, 撤销派工, 直接完成, a customer moved to another department — as do orders added or removed
// behind the services' back; parallel dispatches all count; a scope of several departments shows
// the first orders of their union; and the Excel sheet says what the grid shows.
import mongoose from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrateWorkOrderFields } from '../../src/db/migrations/work-order-fields.js';
import { chinaDate, chinaDayStart, DAY_MS } from '../../src/lib/china-time.js';
import { submitFeedback } from '../../src/modules/service/feedback.service.js';
import { CalendarDay } from '../../src/modules/service/calendar-days.model.js';
import { CALENDAR_DAYS_JOB, refreshCalendarDays, restartCalendarDays } from '../../src/modules/service/calendar-days.js';
import { CALENDAR_STATUSES } from '../../src/modules/service/report.stats.js';
import { WorkOrder } from '../../src/modules/service/work-order.model.js';
import { acceptWorkOrder, rejectWorkOrder, transferWorkOrder } from '../../src/modules/service/work-order.service.js';
import { workOrderStatusLabels, type WorkOrderStatus } from '@qiao/shared';
import { adminToken, createCustomer, createDispatcher, createEngineer, unique, verifiedCustomerSession } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { feedbackInput, recordingDeps, viewerOf } from '../service/scenario.js';
import { reportClient, sheetRows } from './report-client.js';

let server: TestServer;
let admin: string;

useTestServer(async (started) => {
  server = started;
  admin = await adminToken(server);
});

const api = (path: string, token: string, options: { method?: string; body?: unknown } = {}) => call(server.url, `/api/v1${path}`, { token, ...options });
const { report, workbook } = reportClient(() => server.url);
const today = () => chinaDate(new Date());
const TODAY = () => `from=${today()}&to=${today()}`;
const department = async (name: string, parentId: string | null = null) =>
  (await api('/departments', admin, { body: { name: unique(name), parentId } })).body.id as string;

async function requestIn(departmentId: string) {
  const customer = await createCustomer({ department: departmentId });
  const session = await verifiedCustomerSession({ customer });
  const { detail } = await submitFeedback(session.wechatUserId, feedbackInput({ requestedBy: new Date(Date.now() + 48 * 3600_000).toISOString() }));
  return { id: detail.id, number: detail.number, customer };
}

async function dispatch(token: string, feedbackId: string, engineerId: string): Promise<string> {
  const sent = await api(`/feedbacks/${feedbackId}/dispatch`, token, { body: { engineerId, note: '' } });
  expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  return sent.body.workOrder.id as string;
}

type Grid = Record<string, { cells: Record<string, string[]>; more: Record<string, number> }>;

/** The calendar as the console shows it: per engineer, per day `number 状态` of the listed orders, and 另有 N. */
async function grid(token: string, query = TODAY()): Promise<Grid> {
  const body = await report('dispatch-calendar', token, query);
  return Object.fromEntries(
    body.calendar.engineers
      .filter((e: any) => Object.keys(e.cells).length > 0)
      .map((e: any) => [e.id, { cells: Object.fromEntries(Object.entries(e.cells).map(([day, list]: [string, any]) => [day, list.map((x: any) => `${x.number} ${x.statusLabel}`)])), more: e.more ?? {} }]),
  );
}

/** What the calendar must show, worked out from the work orders themselves (one day: today). */
async function truth(departments: string[]): Promise<Grid> {
  const start = chinaDayStart(today());
  const orders = await WorkOrder.find({ department: { $in: departments }, status: { $in: CALENDAR_STATUSES }, dispatchedAt: { $gte: start, $lt: new Date(start.getTime() + DAY_MS) } }).lean();
  orders.sort((a, b) => a.dispatchedAt.getTime() - b.dispatchedAt.getTime() || String(a._id).localeCompare(String(b._id)));
  const out: Grid = {};
  for (const order of orders) {
    const cell = (out[order.assigneeId] ??= { cells: { [today()]: [] }, more: {} });
    const listed = cell.cells[today()]!;
    if (listed.length < 3) listed.push(`${order.requestNumber} ${workOrderStatusLabels[order.status as WorkOrderStatus]}`);
    else cell.more[today()] = (cell.more[today()] ?? 0) + 1;
  }
  return out;
}

describe('every change shows in the next calendar', () => {
  it('dispatch, accept, 改派, 转派, reject, 撤销派工, 直接完成', async () => {
    const dept = await department('日历服务');
    const dispatcher = await createDispatcher(dept);
    const [a, b, c] = [await createEngineer({ department: dept }), await createEngineer({ department: dept }), await createEngineer({ department: dept })];
    const check = async () => {
      const shown = await grid(dispatcher.token);
      expect(shown).toEqual(await truth([dept]));
      return shown;
    };
    const [r1, r2, r3, r4] = [await requestIn(dept), await requestIn(dept), await requestIn(dept), await requestIn(dept)];

    const o1 = await dispatch(dispatcher.token, r1.id, a.id);
    expect(await check()).toEqual({ [a.id]: { cells: { [today()]: [`${r1.number} 待接单`] }, more: {} } });
    await acceptWorkOrder(viewerOf(a), o1, recordingDeps());
    expect((await check())[a.id]!.cells[today()]).toEqual([`${r1.number} 已接单`]);

    // 改派: the first order leaves a's cell (cancelled), the new one is b's.
    await dispatch(dispatcher.token, r2.id, a.id);
    await dispatch(dispatcher.token, r2.id, b.id);
    expect(await check()).toEqual({
      [a.id]: { cells: { [today()]: [`${r1.number} 已接单`] }, more: {} },
      [b.id]: { cells: { [today()]: [`${r2.number} 待接单`] }, more: {} },
    });

    // 转派 by a: the same order, now c's.
    await transferWorkOrder(viewerOf(a), o1, { engineerId: c.id, reason: '换人' }, recordingDeps());
    const afterTransfer = await check();
    expect(Object.keys(afterTransfer).sort()).toEqual([b.id, c.id].sort());
    expect(afterTransfer[c.id]!.cells[today()]).toEqual([`${r1.number} 待接单`]);

    // Rejected, undispatched and directly completed orders leave the calendar.
    const o3 = await dispatch(dispatcher.token, r3.id, c.id);
    expect((await check())[c.id]!.cells[today()]).toHaveLength(2);
    await rejectWorkOrder(viewerOf(c), o3, '不在服务区域');
    expect((await check())[c.id]!.cells[today()]).toEqual([`${r1.number} 待接单`]);
    expect((await api(`/feedbacks/${r2.id}/undispatch`, dispatcher.token, { body: { reason: '客户改期' } })).status).toBe(200);
    expect(await check()).not.toHaveProperty(b.id);
    await dispatch(dispatcher.token, r4.id, b.id);
    expect((await check())[b.id]!.cells[today()]).toEqual([`${r4.number} 待接单`]);
    expect((await api(`/feedbacks/${r4.id}/complete`, dispatcher.token, { body: { note: '电话指导已解决' } })).status).toBe(200);
    expect(Object.keys(await check())).toEqual([c.id]);
  });

  it('a day is recomputed once per change, not at every calendar', async () => {
    const dept = await department('日历重算');
    const dispatcher = await createDispatcher(dept);
    const engineer = await createEngineer({ department: dept });
    await dispatch(dispatcher.token, (await requestIn(dept)).id, engineer.id);
    const readAt = async () => (await CalendarDay.findById(today()).lean())!.computedAt.getTime();
    // The job recomputes changed days on its own every minute: an attempt it ran in does not count.
    const jobRun = async () => String((await mongoose.connection.collection('jobs').findOne({ name: CALENDAR_DAYS_JOB }))?.lastRunAt ?? '');
    let kept: boolean | null = null;
    for (let attempt = 0; attempt < 3 && kept === null; attempt += 1) {
      await grid(dispatcher.token);
      // Within READ_MARGIN_MS (5 s) of a change a calendar recomputes again (the write may have been in flight).
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      await grid(dispatcher.token);
      const [job, first] = [await jobRun(), await readAt()];
      await grid(dispatcher.token);
      const second = await readAt();
      if ((await jobRun()) === job) kept = second === first;
    }
    expect(kept).toBe(true);
    const before = await readAt();
    await dispatch(dispatcher.token, (await requestIn(dept)).id, engineer.id);
    expect((await grid(dispatcher.token))[engineer.id]!.cells[today()]).toHaveLength(2);
    expect(await readAt()).toBeGreaterThan(before);
  }, 60_000);

  it('a customer moved to another department takes its orders to that department’s calendar', async () => {
    const [east, west] = [await department('日历东'), await department('日历西')];
    const [eastDispatcher, westDispatcher] = [await createDispatcher(east), await createDispatcher(west)];
    const engineer = await createEngineer({ department: east });
    const moving = await requestIn(east);
    const staying = await requestIn(east);
    await dispatch(eastDispatcher.token, moving.id, engineer.id);
    await dispatch(eastDispatcher.token, staying.id, engineer.id);
    expect((await grid(eastDispatcher.token))[engineer.id]!.cells[today()]).toEqual([`${moving.number} 待接单`, `${staying.number} 待接单`]);
    expect(await grid(westDispatcher.token)).toEqual({});

    const moved = await api(`/customers/${String(moving.customer._id)}`, admin, { method: 'PUT', body: { name: moving.customer.name, region: '成都', department: west } });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect((await grid(eastDispatcher.token))[engineer.id]!.cells[today()]).toEqual([`${staying.number} 待接单`]);
    expect(await grid(westDispatcher.token)).toEqual({ [engineer.id]: { cells: { [today()]: [`${moving.number} 待接单`] }, more: {} } });
    expect(await grid(westDispatcher.token)).toEqual(await truth([west]));
  });
});

describe('several departments in one scope', () => {
  it('a cell lists the first 3 of the union in dispatch order and counts the rest; each department its own', async () => {
    const parent = await department('日历总部');
    const [p, q] = [await department('日历甲组', parent), await department('日历乙组', parent)];
    const [pDispatcher, qDispatcher] = [await createDispatcher(p), await createDispatcher(q)];
    const engineer = await createEngineer({ department: parent });
    const numbers: string[] = [];
    for (const [dept, token] of [[p, pDispatcher.token], [q, qDispatcher.token], [p, pDispatcher.token], [q, qDispatcher.token], [p, pDispatcher.token]] as const) {
      const request = await requestIn(dept);
      await dispatch(token, request.id, engineer.id);
      numbers.push(request.number);
    }
    const whole = await grid(admin, `${TODAY()}&department=${parent}`);
    expect(whole).toEqual({ [engineer.id]: { cells: { [today()]: numbers.slice(0, 3).map((n) => `${n} 待接单`) }, more: { [today()]: 2 } } });
    expect(whole).toEqual(await truth([parent, p, q]));
    expect((await grid(pDispatcher.token))[engineer.id]).toEqual({ cells: { [today()]: [numbers[0], numbers[2], numbers[4]].map((n) => `${n} 待接单`) }, more: {} });
    expect((await grid(qDispatcher.token))[engineer.id]).toEqual({ cells: { [today()]: [numbers[1], numbers[3]].map((n) => `${n} 待接单`) }, more: {} });
    const body = await report('dispatch-calendar', admin, `${TODAY()}&department=${parent}`);
    expect(body.figures.find((f: any) => f.key === 'orders').value).toBe(5);
    expect(body.tables[0].rows.find((row: any) => row.engineer === engineer.doc.name).total).toBe(5);
  });
});

describe('concurrency', () => {
  it('parallel dispatches, with calendars read meanwhile, all count in the next calendar', async () => {
    const dept = await department('日历并发');
    const dispatcher = await createDispatcher(dept);
    const [a, b] = [await createEngineer({ department: dept }), await createEngineer({ department: dept })];
    const requests = await Promise.all(Array.from({ length: 8 }, () => requestIn(dept)));
    await grid(dispatcher.token); // the day is stored before the writes
    await Promise.all([
      ...requests.map((request, i) => dispatch(dispatcher.token, request.id, i % 2 === 0 ? a.id : b.id)),
      grid(dispatcher.token),
      grid(dispatcher.token),
      refreshCalendarDays(),
    ]);
    const shown = await grid(dispatcher.token);
    expect(shown).toEqual(await truth([dept]));
    expect(shown[a.id]!.more).toEqual({ [today()]: 1 });
    expect(shown[b.id]!.more).toEqual({ [today()]: 1 });
    // Changes that keep every count (accepts) need the catch-up, not the count check.
    const orders = await WorkOrder.find({ assigneeId: a.id }).lean();
    await Promise.all([...orders.map((order) => acceptWorkOrder(viewerOf(a), String(order._id), recordingDeps())), grid(dispatcher.token), refreshCalendarDays()]);
    const accepted = await grid(dispatcher.token);
    expect(accepted).toEqual(await truth([dept]));
    expect(accepted[a.id]!.cells[today()]!.every((entry) => entry.endsWith('已接单'))).toBe(true);
  });
});

describe('behind the services’ back', () => {
  const raw = () => mongoose.connection.collection('work_orders');

  it('an order added or removed without the services shows at the next calendar (the count check)', async () => {
    const dept = await department('日历直写');
    const dispatcher = await createDispatcher(dept);
    const engineer = await createEngineer({ department: dept });
    await dispatch(dispatcher.token, (await requestIn(dept)).id, engineer.id);
    expect((await grid(dispatcher.token))[engineer.id]!.cells[today()]).toHaveLength(1);
    const _id = new mongoose.Types.ObjectId();
    // No updatedAt: the catch-up cannot see it, the count of the day does.
    await raw().insertOne({ _id, feedbackId: 'none', department: dept, requestNumber: 'FW-RAW-1', requestedBy: null, assigneeId: engineer.id, collaboratorIds: [], status: 'pending', dispatchedAt: new Date(), version: 0 });
    expect((await grid(dispatcher.token))[engineer.id]!.cells[today()]).toContain('FW-RAW-1 待接单');
    expect(await grid(dispatcher.token)).toEqual(await truth([dept]));
    await raw().deleteOne({ _id });
    expect((await grid(dispatcher.token))[engineer.id]!.cells[today()]).not.toContain('FW-RAW-1 待接单');
  });

  it('orders given their request’s fields by the start-up fill: the rollups start afresh', async () => {
    const dept = await department('日历旧单');
    const dispatcher = await createDispatcher(dept);
    const engineer = await createEngineer({ department: dept });
    const request = await requestIn(dept);
    // A day nobody else writes to (a write of the last minutes recomputes its day anyway).
    const day = chinaDate(new Date(Date.now() - 5 * DAY_MS));
    const query = `from=${day}&to=${day}`;
    // As an earlier version wrote it: no department, number or requested time.
    await raw().insertOne({ _id: new mongoose.Types.ObjectId(), feedbackId: request.id, assigneeId: engineer.id, collaboratorIds: [], status: 'pending', dispatchedAt: new Date(chinaDayStart(day).getTime() + 3600_000), version: 0 });
    expect(await grid(dispatcher.token, query)).toEqual({});
    expect((await grid(admin, query))[engineer.id]!.cells[day]).toEqual([`${request.number} 待接单`]); // looked up on the request
    await migrateWorkOrderFields({ force: true });
    expect(await grid(dispatcher.token, query)).toEqual({ [engineer.id]: { cells: { [day]: [`${request.number} 待接单`] }, more: {} } });
  });
});

describe('the job', () => {
  beforeAll(async () => {
    await restartCalendarDays();
  });

  it('fills the days a calendar shows by default; a report then finds them', async () => {
    await refreshCalendarDays();
    const days = Array.from({ length: 31 }, (_, i) => chinaDate(new Date(Date.now() - i * DAY_MS)));
    expect(await CalendarDay.countDocuments({ _id: { $in: days } })).toBe(31);
    const [doc] = await CalendarDay.find({ _id: today() }).lean();
    expect(doc!.total).toBe(await WorkOrder.countDocuments({ status: { $in: CALENDAR_STATUSES }, dispatchedAt: { $gte: chinaDayStart(today()), $lt: new Date(chinaDayStart(today()).getTime() + DAY_MS) } }));
  });
});

describe('Excel export', () => {
  it('the sheet says what the grid shows: each engineer’s cells, 另有 N 单 and the total', async () => {
    const dept = await department('日历导出');
    const dispatcher = await createDispatcher(dept);
    const [a, b] = [await createEngineer({ department: dept }), await createEngineer({ department: dept })];
    for (let i = 0; i < 5; i += 1) await dispatch(dispatcher.token, (await requestIn(dept)).id, i < 4 ? a.id : b.id);
    const yesterday = chinaDate(new Date(Date.now() - DAY_MS));
    const query = `from=${yesterday}&to=${today()}`;
    const body = await report('dispatch-calendar', dispatcher.token, query);
    const { book } = await workbook('dispatch-calendar', dispatcher.token, query);
    const text = (entry: any) => `${entry.number} ${entry.time}（${entry.statusLabel}）`;
    const expected = body.calendar.engineers.map((e: any) => [
      e.name,
      ...body.calendar.days.map((day: string) => [...(e.cells[day] ?? []).map(text), ...(e.more?.[day] ? [`另有 ${e.more[day]} 单`] : [])].join('\n')),
      body.calendar.days.reduce((sum: number, day: string) => sum + (e.cells[day] ?? []).length + (e.more?.[day] ?? 0), 0),
    ]);
    const [header, ...sheet] = sheetRows(book, '派工日历');
    expect(header).toEqual(['工程师', yesterday.slice(5), today().slice(5), '合计']);
    expect(sheet.map((row) => [row[0], row[1] ?? '', row[2] ?? '', row[3]])).toEqual(expected);
    const mine = expected.filter((row: any[]) => [a.doc.name, b.doc.name].includes(row[0]));
    expect(mine.map((row: any[]) => [row[0], row[3]])).toEqual(
      [
        [a.doc.name, 4],
        [b.doc.name, 1],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]), 'zh-CN')),
    );
    expect(String(mine.find((row: any[]) => row[0] === a.doc.name)![2]).split('\n').at(-1)).toBe('另有 1 单');
  });
});
