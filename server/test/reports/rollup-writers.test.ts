// Day rollups written by several writers at once — the job and reports in other server processes
// have no lock in common: whatever order their reads and writes interleave in, the stored day ends
// as one writer alone leaves it.
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { chinaDayStart, DAY_MS } from '../../src/lib/china-time.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { RequestDay } from '../../src/modules/service/report-days.model.js';
import { recomputeDay, refreshRequestDays, writeDay } from '../../src/modules/service/report-days.js';
import { requestsCreatedBetween } from '../../src/modules/service/report.stats.js';
import { createStaffMember } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { createDepartments, createServicePopulation } from './service-fixture.js';

let server: TestServer;
let admin: string;

useTestServer(async (started) => {
  server = started;
  await createServicePopulation(await createDepartments());
  admin = (await createStaffMember('admin', { department: null })).token;
  await refreshRequestDays();
});

const DAY = '2026-10-07';
const dayRequests = () => requestsCreatedBetween(null, chinaDayStart(DAY), new Date(chinaDayStart(DAY).getTime() + DAY_MS));
/** The stored day without its stamp: what the reports read. */
const stored = async () => {
  const doc = await RequestDay.findById(DAY).lean();
  return doc && { total: doc.total, departments: doc.departments };
};
const figures = async () => {
  const response = await call(server.url, `/api/v1/reports/service-volume?from=${DAY}&to=${DAY}`, { token: admin });
  expect(response.status).toBe(200);
  return response.body;
};

/** Completes (or reopens) a request of the day through mongoose, which stamps `updatedAt`. */
async function toggle(status: 'completed' | 'submitted') {
  const request = await Feedback.findOne({ createdAt: { $gte: chinaDayStart(DAY), $lt: new Date(chinaDayStart(DAY).getTime() + DAY_MS) } }).sort({ createdAt: 1 }).lean();
  await Feedback.updateOne({ _id: request!._id }, { $set: { status, completedAt: status === 'completed' ? new Date() : null } });
}

describe('two writers of a day rollup', () => {
  it('in parallel, with a change in between, store what one writer alone stores', async () => {
    const original = await stored();
    for (let round = 0; round < 3; round += 1) {
      // Two "processes" (no shared queue: recomputeDay directly), the job's catch-up, a report, and a
      // change followed by a writer whose read begins after it (without one, every writer may have
      // finished before the change commits: the job's next catch-up brings it in).
      const change = toggle(round % 2 === 0 ? 'completed' : 'submitted').then(() => recomputeDay(DAY));
      await Promise.all([recomputeDay(DAY), change, recomputeDay(DAY), refreshRequestDays(), figures()]);
      const together = await stored();
      await recomputeDay(DAY);
      expect(together).toEqual(await stored());
    }
    await toggle('submitted');
    await recomputeDay(DAY);
    expect(await stored()).toEqual(original);
  });

  it('a writer whose read began before a change and whose write lands last reads the day again', async () => {
    const staleAt = new Date();
    const stale = await dayRequests();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await toggle('completed');
    // The other writer read after the change and stored first.
    await recomputeDay(DAY);
    const fresh = await stored();
    expect(fresh).not.toBeNull();

    // It read the stored stamp before that write (so it does not know it is older): modelled by removing the day.
    await RequestDay.deleteOne({ _id: DAY });
    expect(await writeDay(DAY, stale, staleAt)).toBe(false); // stored, but a change came after its read
    expect(await stored()).not.toEqual(fresh);
    // What recomputeDay does on `false`: read again. The day converges on the fresh figures.
    await recomputeDay(DAY);
    expect(await stored()).toEqual(fresh);

    // A stale writer that sees a newer stamp leaves the day alone.
    expect(await writeDay(DAY, stale, staleAt)).toBe(false);
    expect(await stored()).toEqual(fresh);
    await toggle('submitted');
    await recomputeDay(DAY);
  });

  it('a writer whose read missed a write stamped just before the read began reads the day again', async () => {
    // mongoose stamps `updatedAt` when it sends a write; under load the write commits after a read
    // that began later. Modelled by a write stamped a second before the read, committed after it.
    const completed = async () => (await stored())!.departments.flatMap((department) => department.statuses).filter((entry) => entry.status === 'completed').reduce((sum, entry) => sum + entry.count, 0);
    await recomputeDay(DAY);
    const before = await completed();
    const readAt = new Date();
    const stale = await dayRequests();
    const request = stale.find((entry) => entry.status !== 'completed')!;
    const stamp = new Date(readAt.getTime() - 1_000);
    await Feedback.collection.updateOne({ _id: new Types.ObjectId(request.id) }, { $set: { status: 'completed', completedAt: stamp, updatedAt: stamp } });
    expect(await writeDay(DAY, stale, readAt)).toBe(false);
    expect(await completed()).toBe(before); // what the stale read stored
    await recomputeDay(DAY);
    expect(await completed()).toBe(before + 1);
  });
});
