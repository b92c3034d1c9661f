// Background work on agenda, stored in the same database. Handlers must be idempotent: a job that
// outlives its lock, or a process killed mid-job, runs again.
import { Agenda, exponential, InMemoryNotificationChannel, type Job, type JobNotification } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import mongoose from 'mongoose';
import type { Logger } from '../logger.js';

export type JobHandler<T> = (data: T) => Promise<void>;

export interface JobOptions {
  concurrency?: number;
  /** Attempts after the first failure, with exponential backoff from 1 s. */
  retries?: number;
  /** Queued with `now` in this process: start at once rather than at the next poll (up to 2 s later). */
  immediate?: boolean;
}

/** What services see of the job system: enqueue only. */
export interface JobQueue {
  now<T extends object>(name: string, data: T): Promise<void>;
}

/** Enqueue now or at a given time (reminders). */
export interface JobScheduler extends JobQueue {
  /** Run the job once at `when` (at once when `when` is past). */
  schedule<T extends object>(when: Date, name: string, data: T): Promise<void>;
}

export interface JobRunner extends JobScheduler {
  define<T extends object>(name: string, handler: JobHandler<T>, options?: JobOptions): void;
  /** Run a defined job on a schedule ('1 hour', cron); one schedule per name however many processes start. */
  every(interval: string, name: string): void;
  start(): Promise<void>;
  /** Stop taking jobs and wait (up to `timeoutMs`) for running ones. */
  drain(timeoutMs?: number): Promise<void>;
}

export const JOB_CLEANUP = 'jobs.delete-finished';
/** Finished one-off jobs are kept this long (enough to look at a recent run), failed ones a week. */
export const FINISHED_JOB_KEEP_MS = 60 * 60_000;
export const FAILED_JOB_KEEP_MS = 7 * 24 * 3600_000;

type JobsCollection = ReturnType<NonNullable<typeof mongoose.connection.db>['collection']>;

/**
 * One-off jobs (`now`, `schedule`) stay in `jobs` after they ran: without this the collection —
 * which the poll reads every few seconds — grows with every reminder and notification.
 * Recurring jobs (type `single`) and jobs still due, running or retrying are never touched.
 */
export async function deleteFinishedJobs(collection: JobsCollection, now = new Date()): Promise<number> {
  const finished = { type: 'normal', nextRunAt: null, lockedAt: null };
  const done = await collection.deleteMany({ ...finished, failedAt: null, lastFinishedAt: { $lt: new Date(now.getTime() - FINISHED_JOB_KEEP_MS) } });
  const failed = await collection.deleteMany({ ...finished, lastFinishedAt: { $lt: new Date(now.getTime() - FAILED_JOB_KEEP_MS) } });
  return done.deletedCount + failed.deletedCount;
}

/**
 * The index agenda's poll needs: it looks for due jobs with
 * `findOneAndUpdate({name, disabled: {$ne: true}, $or: [{lockedAt: null, nextRunAt: {$lte}}, {lockedAt: {$lte}}]}, sort {nextRunAt: 1, priority: -1})`
 * (@agendajs/mongo-backend MongoJobRepository.getNextJobToRun). Its own index leads with the
 * same keys but adds lockedAt and disabled; this one is the exact equality + sort prefix.
 */
export async function ensureJobIndexes(collection: JobsCollection): Promise<void> {
  await collection.createIndex({ name: 1, nextRunAt: 1, priority: -1 }, { name: 'qiao_next_job' });
  await collection.createIndex({ type: 1, nextRunAt: 1, lastFinishedAt: 1 }, { name: 'qiao_finished_jobs' });
}

/** Tells this process's agenda of new jobs of the `immediate` names only; others wait for the poll. */
class ImmediateJobs extends InMemoryNotificationChannel {
  readonly names = new Set<string>();
  override async publish(notification: JobNotification): Promise<void> {
    if (this.names.has(notification.jobName)) await super.publish(notification);
  }
  // Job events stay local (agenda emits them itself).
  override async publishState(): Promise<void> {}
}

export function createJobRunner(logger: Logger, options: { processEvery?: string } = {}): JobRunner {
  const db = mongoose.connection.db;
  if (!db) throw new Error('connect the database before creating the job runner');
  const immediate = new ImmediateJobs();
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db as never, collection: 'jobs' }),
    notificationChannel: immediate,
    processEvery: options.processEvery ?? '2 seconds',
    defaultConcurrency: 2,
    defaultLockLifetime: 5 * 60_000,
  });
  agenda.on('error', (error: unknown) => logger.error({ err: error }, 'job system error'));
  const recurring: Array<[string, string]> = [];
  agenda.on('fail', (error: unknown, job: Job) => logger.warn({ err: error, job: job.attrs.name }, 'job failed'));

  return {
    define(name, handler, { concurrency = 2, retries = 5, immediate: startAtOnce = false } = {}) {
      if (startAtOnce) immediate.names.add(name);
      agenda.define(name, async (job: Job<never>) => handler(job.attrs.data), {
        concurrency,
        backoff: exponential({ delay: 1_000, factor: 2, maxRetries: retries, jitter: 0.2 }),
      });
    },
    every(interval, name) {
      recurring.push([interval, name]);
    },
    async now(name, data) {
      await agenda.now(name, data as never);
    },
    async schedule(when, name, data) {
      await agenda.schedule(when, name, data as never);
    },
    async start() {
      await ensureJobIndexes(db.collection('jobs'));
      // agenda.start() waits forever when the database is gone: bound it.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        agenda.start(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('the job system did not start within 15 s')), 15_000);
        }),
      ]).finally(() => clearTimeout(timer));
      agenda.define(JOB_CLEANUP, async () => void (await deleteFinishedJobs(db.collection('jobs'))), { concurrency: 1 });
      recurring.push(['10 minutes', JOB_CLEANUP]);
      for (const [interval, name] of recurring) await agenda.every(interval, name);
    },
    async drain(timeoutMs = 10_000) {
      await agenda.drain({ timeout: timeoutMs, closeConnection: false } as never).catch(() => agenda.stop(false));
    },
  };
}
