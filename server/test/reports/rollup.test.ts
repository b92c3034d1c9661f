// The service reports read day rollups (report_request_days) once the backfill has finished: the
// same figures as reading every request, kept fresh by the catch-up at the start of each report —
// state changes, ratings and department moves show in the very next report.
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { chinaDate, chinaDayStart } from '../../src/lib/china-time.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { rateFeedback } from '../../src/modules/service/rating.service.js';
import { RequestDay } from '../../src/modules/service/report-days.model.js';
import { recomputeDay, refreshRequestDays, REPORT_DAYS_JOB, REPORT_DAYS_STATE, WATERMARK_OVERLAP_MS } from '../../src/modules/service/report-days.js';
import { moveCustomerRequests } from '../../src/modules/service/request-department.js';
import { completeWorkOrder } from '../../src/modules/service/work-order.service.js';
import { useTestServer, type TestServer } from '../helpers/server.js';
import { createCast, feedbackIn, recordingDeps, viewerOf, type Cast } from '../service/scenario.js';
import { figures, reportClient, rows } from './report-client.js';
import { createServiceWorld, type Departments } from './service-fixture.js';

let server: TestServer;
let departments: Departments;
let cast: Cast;
let admin: string;
let eastManager: string;
let westDispatcher: string;

useTestServer(async (started) => {
  server = started;
  ({ departments, admin, eastManager, westDispatcher } = await createServiceWorld());
  cast = await createCast();
});

const settings = () => mongoose.connection.collection<{ _id: string; value?: { watermark: string } }>('settings');
/** Back to "never backfilled": the reports read the requests directly. */
const forgetWatermark = () => settings().deleteOne({ _id: REPORT_DAYS_STATE });
const watermark = async () => new Date((await settings().findOne({ _id: REPORT_DAYS_STATE }))!.value!.watermark);

const { report } = reportClient(() => server.url);

const NAMES = ['service-volume', 'service-times', 'engineer-ratings'];
const QUERIES = ['from=2026-10-01&to=2026-10-07', 'from=2026-09-28&to=2026-10-11&granularity=week', 'from=2026-09-01&to=2026-10-31&granularity=month'];
/** Every service report, for two viewers and three granularities. */
async function everything() {
  const bodies: unknown[] = [];
  for (const token of [admin, eastManager]) for (const name of NAMES) for (const query of QUERIES) bodies.push(await report(name, token, query));
  return bodies;
}

/** Until agenda has finished the rollup job once (its first run follows the server's start). */
async function jobRanOnce() {
  const jobs = mongoose.connection.collection<{ name: string; lastFinishedAt?: Date | null }>('jobs');
  for (let i = 0; i < 200 && !(await jobs.findOne({ name: REPORT_DAYS_JOB, lastFinishedAt: { $type: 'date' } })); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
}

const TODAY = () => `from=${chinaDate(new Date())}&to=${chinaDate(new Date())}`;

describe('backfill', () => {
  it('gives exactly the figures of reading the requests, and the reports then read the rollups', async () => {
    // The job's first run (started with the server) must not write a watermark after ours is gone.
    await jobRanOnce();
    await forgetWatermark();
    await RequestDay.deleteMany({});
    const direct = await everything();
    expect(figures(direct[0])).toEqual({ total: 12, completed: 7, open: 5, completionRate: 58.3 });

    expect(await refreshRequestDays()).toBeGreaterThanOrEqual(9); // 09-30 … 10-08, and today's
    expect(await RequestDay.countDocuments({ _id: { $gte: '2026-09-30', $lte: '2026-10-08' } })).toBe(9);
    expect(await everything()).toEqual(direct);

    // What the reports show now comes from the stored days: a stored figure changed shows.
    const day = await RequestDay.findById('2026-10-07').lean();
    await RequestDay.updateOne({ _id: '2026-10-07' }, { $set: { 'departments.0.lines.0.line': '改过的产品线' } });
    expect(rows(await report('service-volume', admin, QUERIES[0]!), 'by-product-line').map((r: any) => r.productLine)).toContain('改过的产品线');
    await recomputeDay('2026-10-07');
    expect((await RequestDay.findById('2026-10-07').lean())?.departments).toEqual(day?.departments);
    expect(await everything()).toEqual(direct);
  });

  it('interrupted before the watermark was written: the direct figures meanwhile, the same ones after', async () => {
    const before = await everything();
    await forgetWatermark();
    await RequestDay.deleteMany({ _id: { $gte: '2026-10-04' } }); // a backfill cut short
    expect(await everything()).toEqual(before);
    await refreshRequestDays();
    expect(await RequestDay.countDocuments({ _id: { $gte: '2026-10-04', $lte: '2026-10-08' } })).toBe(5);
    expect(await everything()).toEqual(before);
  });

  it('a restart keeps the watermark: the next refresh recomputes only the days with changes', async () => {
    const before = await everything();
    const mark = await watermark();
    // Requests the services changed lately (the reminder sweep stamps overdue ones): their days are read again.
    const changed = new Set(
      (await Feedback.find({ updatedAt: { $gt: new Date(mark.getTime() - WATERMARK_OVERLAP_MS) } }, { createdAt: 1 }).lean()).map((r) => chinaDate(r.createdAt)),
    );
    const stamps = async () =>
      (await RequestDay.find({ _id: { $lte: '2026-10-08' } }, { computedAt: 1 }).lean())
        .filter((d) => !changed.has(d._id))
        .map((d) => `${d._id} ${d.computedAt.toISOString()}`)
        .sort();
    const kept = await stamps();
    expect(kept.length).toBeGreaterThanOrEqual(7);
    await refreshRequestDays(); // what the job does after a restart
    expect((await watermark()).getTime()).toBeGreaterThan(mark.getTime());
    expect(await stamps()).toEqual(kept);
    expect(await everything()).toEqual(before);
  });

  it('a request inserted behind the services’ back (an import) is counted: the day totals are checked', async () => {
    const source = await Feedback.findOne({ department: departments.west, createdAt: { $gte: new Date('2026-10-06T16:00:00Z') } }).lean();
    const copy = { ...source!, _id: new mongoose.Types.ObjectId(), number: 'FW20261007-0099', clientRequestId: 'rollup-import' };
    await Feedback.insertMany([copy], { timestamps: false });
    expect(figures(await report('service-volume', admin, QUERIES[0]!)).total).toBe(13);
    await Feedback.deleteOne({ _id: copy._id });
    await recomputeDay('2026-10-07');
    expect(figures(await report('service-volume', admin, QUERIES[0]!)).total).toBe(12);
  });
});

describe('after a report, the next report shows', () => {
  it('a completion and a rating at once (the catch-up runs before each report)', async () => {
    await refreshRequestDays();
    const deps = recordingDeps();
    const before = figures(await report('service-volume', admin, TODAY()));
    const { id, orderId } = await feedbackIn(cast, 'in_progress', deps);
    const opened = figures(await report('service-volume', admin, TODAY()));
    expect(opened).toMatchObject({ total: before.total + 1, completed: before.completed });

    await completeWorkOrder(viewerOf(cast.engineer), orderId!, '已修复', deps);
    expect(figures(await report('service-volume', admin, TODAY()))).toMatchObject({ total: before.total + 1, completed: before.completed + 1 });
    expect(figures(await report('service-times', admin, TODAY())).medianCompletion).not.toBeNull();

    await rateFeedback({ kind: 'customer', wechatUserId: cast.owner.wechatUserId }, id, { timeliness: 2, attitude: 4, quality: 4, comment: '' });
    const ratings = await report('engineer-ratings', admin, TODAY());
    expect(rows(ratings, 'by-engineer')).toEqual([expect.objectContaining({ engineer: '张工', count: 1, timeliness: 2, lowShare: 100 })]);
  });

  it('a write stamped just before the watermark (still in flight when it was set), thanks to the overlap', async () => {
    // Requests of October days nothing else touches: only their own stamp can get their day read again.
    const [inFlight, tooOld] = await Promise.all(['2026-10-07', '2026-10-04'].map((day) => Feedback.findOne({ number: { $gt: `FW20261001-0004` }, status: 'submitted', createdAt: { $gte: chinaDayStart(day) } }).sort({ createdAt: 1 }).lean()));
    const before = figures(await report('service-volume', admin, QUERIES[0]!));
    const complete = (id: unknown, updatedAt: Date) =>
      Feedback.updateOne({ _id: id }, { $set: { status: 'completed', completedAt: new Date(), updatedAt } }, { timestamps: false });

    // Committed now, stamped a minute before the watermark: inside the overlap, read again.
    await complete(inFlight!._id, new Date((await watermark()).getTime() - 60_000));
    expect(figures(await report('service-volume', admin, QUERIES[0]!)).completed).toBe(before.completed + 1);

    // Stamped before the overlap: no refresh reads it again (which is why the margin exists).
    await complete(tooOld!._id, new Date((await watermark()).getTime() - WATERMARK_OVERLAP_MS - 60_000));
    expect(figures(await report('service-volume', admin, QUERIES[0]!)).completed).toBe(before.completed + 1);
    await recomputeDay(chinaDate(tooOld!.createdAt));
    expect(figures(await report('service-volume', admin, QUERIES[0]!)).completed).toBe(before.completed + 2);

    for (const request of [inFlight!, tooOld!]) {
      await Feedback.updateOne({ _id: request._id }, { $set: { status: 'submitted', completedAt: null } });
    }
    expect(figures(await report('service-volume', admin, QUERIES[0]!))).toEqual(before);
  });

  it('a customer moved to another department: its requests count there', async () => {
    const westBefore = figures(await report('service-volume', westDispatcher, TODAY())).total;
    const theirs = await Feedback.countDocuments({ customerId: String(cast.owner.customer!._id), createdAt: { $gte: chinaDayStart(chinaDate(new Date())) } });
    expect(theirs).toBeGreaterThan(0);
    await moveCustomerRequests(String(cast.owner.customer!._id), departments.west);
    expect(figures(await report('service-volume', westDispatcher, TODAY())).total).toBe(westBefore + theirs);
  });
});
