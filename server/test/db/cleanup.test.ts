// What keeps hot collections bounded: finished one-off agenda jobs, the Official Account message
// log past its retention, and expired claims — and what each cleanup must never touch.
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { deleteFinishedJobs, FAILED_JOB_KEEP_MS, FINISHED_JOB_KEEP_MS } from '../../src/jobs/runner.js';
import { claimLease, deleteExpiredClaims, OnceClaim } from '../../src/lib/once.js';
import { deleteOldMessages } from '../../src/wechat/oa/message-log.js';
import { InboundMessage } from '../../src/wechat/oa/message.model.js';
import { useTestDatabase } from '../helpers/db.js';

useTestDatabase();

describe('finished one-off jobs', () => {
  it('are removed after a short time; recurring, due, running, retrying and recently failed ones stay', async () => {
    const jobs = mongoose.connection.db!.collection('jobs');
    const now = new Date();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const base = { data: {}, priority: 0, lastModifiedBy: null, disabled: false };
    await jobs.insertMany([
      { ...base, name: 'done-old', type: 'normal', nextRunAt: null, lockedAt: null, failedAt: null, lastFinishedAt: ago(FINISHED_JOB_KEEP_MS + 60_000) },
      { ...base, name: 'done-recent', type: 'normal', nextRunAt: null, lockedAt: null, failedAt: null, lastFinishedAt: ago(60_000) },
      { ...base, name: 'failed-recent', type: 'normal', nextRunAt: null, lockedAt: null, failedAt: ago(FINISHED_JOB_KEEP_MS + 60_000), lastFinishedAt: ago(FINISHED_JOB_KEEP_MS + 60_000) },
      { ...base, name: 'failed-old', type: 'normal', nextRunAt: null, lockedAt: null, failedAt: ago(FAILED_JOB_KEEP_MS + 60_000), lastFinishedAt: ago(FAILED_JOB_KEEP_MS + 60_000) },
      { ...base, name: 'retrying', type: 'normal', nextRunAt: new Date(now.getTime() + 5_000), lockedAt: null, failedAt: ago(FAILED_JOB_KEEP_MS + 60_000), lastFinishedAt: ago(FAILED_JOB_KEEP_MS + 60_000) },
      { ...base, name: 'running', type: 'normal', nextRunAt: null, lockedAt: ago(1_000), failedAt: null, lastFinishedAt: ago(FAILED_JOB_KEEP_MS + 60_000) },
      { ...base, name: 'recurring', type: 'single', nextRunAt: null, lockedAt: null, failedAt: null, lastFinishedAt: ago(FAILED_JOB_KEEP_MS + 60_000) },
      { ...base, name: 'scheduled', type: 'normal', nextRunAt: new Date(now.getTime() + 86_400_000), lockedAt: null, lastFinishedAt: null },
    ]);
    expect(await deleteFinishedJobs(jobs, now)).toBe(2);
    const left = (await jobs.find({}, { projection: { name: 1 } }).toArray()).map((job) => job.name).sort();
    expect(left).toEqual(['done-recent', 'failed-recent', 'recurring', 'retrying', 'running', 'scheduled']);
  });
});

describe('the Official Account message log', () => {
  it('keeps what is newer than the retention and deletes the rest, in batches', async () => {
    const now = Date.now();
    const record = (i: number, receivedAt: Date) => ({ _id: `msg:cleanup-${i}`, openid: 'oCleanup', msgType: 'text', xml: '<xml/>', sentAt: receivedAt, receivedAt, status: 'handled' });
    const old = Array.from({ length: 1_203 }, (_, i) => record(i, new Date(now - 40 * 86_400_000 - i)));
    const recent = Array.from({ length: 7 }, (_, i) => record(10_000 + i, new Date(now - i * 1000)));
    for (let i = 0; i < old.length; i += 500) await InboundMessage.collection.insertMany(old.slice(i, i + 500) as never[]);
    await InboundMessage.collection.insertMany(recent as never[]);
    expect(await deleteOldMessages(new Date(now - 30 * 86_400_000))).toBe(old.length);
    expect(await InboundMessage.countDocuments({ openid: 'oCleanup' })).toBe(recent.length);
  });
});

describe('claims', () => {
  it('past keeping are deleted whole chains at a time; a chain with an attempt still kept stays whole', async () => {
    const past = new Date(Date.now() - 3_600_000);
    for (let i = 0; i < 30; i += 1) await claimLease(`cleanup:${i}`, { leaseMs: 1, keepMs: 1_000, now: past });
    // A taken-over chain (attempt 0 and #1), the newest still kept: neither goes.
    await claimLease('cleanup:kept', { leaseMs: 1, keepMs: 1_000, now: past });
    await claimLease('cleanup:kept', { leaseMs: 60_000, keepMs: 3_600_000 });
    expect(await deleteExpiredClaims()).toBe(30);
    expect(await OnceClaim.countDocuments({ key: 'cleanup:kept' })).toBe(2);
  });
});
