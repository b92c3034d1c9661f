// The send rate of a distribution (a clock of our own: exact, no waiting) and how fast a started
// campaign's run begins (the job is started in this process at once, not at agenda's next poll).
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../src/db/connection.js';
import { createJobRunner, type JobRunner } from '../../src/jobs/runner.js';
import { createLogger } from '../../src/logger.js';
import { createPacer, type PacerClock } from '../../src/modules/marketing/distribution.js';
import { freshDatabaseUri } from '../helpers/db.js';

/** A clock that moves only when someone waits or works. */
function fakeClock(): PacerClock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    async sleep(ms: number) {
      clock.t += ms;
    },
  };
  return clock;
}

/** Sends made one after another: `work(i)` is how long send i takes after its release. */
async function releases(rate: number, count: number, work: (i: number) => number = () => 0): Promise<number[]> {
  const clock = fakeClock();
  const pace = createPacer(rate, clock);
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    await pace();
    times.push(clock.t);
    clock.t += work(i);
  }
  return times;
}

/** The most releases within any one second (half-open). */
function mostInOneSecond(times: number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while (times[i]! - times[j]! >= 1000) j += 1;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('the pacer', () => {
  it('lets sends go one every 1/rate s from the first, never more than the rate in a second', async () => {
    const times = await releases(100, 300);
    expect(times[0]).toBe(0);
    expect(times[299]).toBeCloseTo(2990, 6);
    expect(mostInOneSecond(times)).toBe(100);
  });

  it('makes up the time a slow send lost, still never above the rate in any second', async () => {
    // Send 50 takes 300 ms (a busy database): the old pacer ended 300 ms late for good.
    const times = await releases(100, 300, (i) => (i === 50 ? 300 : 2));
    expect(times[299]! - times[0]!).toBeCloseTo(2990, 0);
    expect(mostInOneSecond(times)).toBeLessThanOrEqual(100);
    // At the default 20/s, a 150 ms stall every 25 sends: no time lost either.
    const slow = await releases(20, 120, (i) => (i % 25 === 10 ? 150 : 5));
    expect(slow[119]! - slow[0]!).toBeCloseTo(5950, 0);
    expect(mostInOneSecond(slow)).toBeLessThanOrEqual(20);
  });

  it('never sends a second beyond the rate after a long stall, and ends no later than without catching up', async () => {
    const times = await releases(100, 300, (i) => (i === 50 ? 5_000 : 0));
    expect(mostInOneSecond(times)).toBeLessThanOrEqual(100);
    expect(times[299]! - times[0]!).toBeLessThanOrEqual(2990 + 5_000);
    // Never ahead of the schedule from the first send.
    times.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(i * 10 - 1e-6));
  });

  it('gives concurrent callers distinct times', async () => {
    const clock = fakeClock();
    const pace = createPacer(50, clock);
    const reserved: number[] = [];
    const original = clock.sleep.bind(clock);
    clock.sleep = async (ms) => {
      reserved.push(clock.t + ms);
      await original(0);
    };
    await Promise.all(Array.from({ length: 5 }, () => pace()));
    expect(reserved).toEqual([20, 40, 60, 80]);
  });
});

describe('starting a distribution', () => {
  let jobs: JobRunner;
  beforeAll(async () => {
    await connectDatabase(freshDatabaseUri());
    // A poll once a minute: a job started sooner was started by the queueing itself.
    jobs = createJobRunner(createLogger('silent'), { processEvery: '1 minute' });
  });
  afterAll(async () => {
    await jobs?.drain(2_000);
    await mongoose.connection.db?.dropDatabase().catch(() => {});
    await mongoose.disconnect();
  });

  it('runs a job marked immediate as soon as it is queued; others wait for the poll', async () => {
    const ran: string[] = [];
    jobs.define<{ id: string }>('test.immediate', async (data) => void ran.push(`immediate:${data.id}`), { immediate: true });
    jobs.define<{ id: string }>('test.polled', async (data) => void ran.push(`polled:${data.id}`));
    await jobs.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await jobs.now('test.polled', { id: 'a' });
    await jobs.now('test.immediate', { id: 'b' });
    const until = Date.now() + 3_000;
    while (!ran.includes('immediate:b') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toEqual(['immediate:b']);
  });
});
