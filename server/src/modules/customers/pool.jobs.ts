// The daily pool sweep (客户公海): owned customers not followed up (or not won) for longer than
// their owner's rules allow return to the pool; `remindDaysBefore` days earlier the owner is
// warned once — `poolReminderAt` (the workbench counts it) and a template message to the owner's
// bound WeChat when they follow the Official Account. Locked customers and customers won within
// the deal window are exempt.
//
// Idempotent and restart-safe: a return is the insert of `pool-enter:<id>:<generation>` (pool.service),
// a reminder the insert of `pool-remind:<id>:<owner>:<due time>`; a second run on the same day finds
// both taken and does nothing again.
import type { PoolRules } from '@qiao/shared';
import type { JobQueue, JobRunner } from '../../jobs/runner.js';
import { takeOnce } from '../../lib/once.js';
import type { Logger } from '../../logger.js';
import { findStaffProfile, weChatRecipientOfStaff } from '../identity/lookup.service.js';
import { enqueueTemplateNotice } from '../notifications/notification.jobs.js';
import { date, thing } from '../notifications/template-values.js';
import { Customer, type CustomerDoc } from './customer.model.js';
import { reminderStands, withPoolClocks } from './pool-clock.service.js';
import { limitsOf, readPoolRules, type StaffLimits } from './pool-rules.js';
import { putInPool } from './pool.service.js';

export const POOL_SWEEP_JOB = 'customers.pool-sweep';
export const POOL_SWEEP_INTERVAL = '1 day';
const DAY_MS = 24 * 3600_000;
const REMINDER_KEEP_MS = 400 * DAY_MS;

export interface PoolJobDeps {
  jobs: JobQueue;
  logger: Logger;
  /** Official Account template id of 客户回收提醒 (`thing1` customer, `time2` return date, `thing3` reason). */
  reminderTemplateId: string;
}

export interface PoolClock {
  /** When the customer returns to the pool; null: never (locked, won, no limits). */
  dueAt: Date | null;
  /** Why, for the event and the reminder: 超过 30 天未跟进 … */
  reason: string;
}

const later = (a: Date | null | undefined, b: Date) => (a && a.getTime() > b.getTime() ? a : b);

/** When an owned customer falls due under its owner's limits (pure, so the console could show it too). */
export function poolClock(doc: Pick<CustomerDoc, 'locked' | 'ownerSince' | 'lastFollowUpAt' | 'lastDealAt' | 'createdAt'>, limits: StaffLimits, now: Date): PoolClock {
  if (doc.locked) return { dueAt: null, reason: '' };
  const dealDays = limits.maxDaysWithoutDeal;
  // Won within the deal window (or won at all when deals have no window): exempt.
  if (doc.lastDealAt && (dealDays === 0 || doc.lastDealAt.getTime() + dealDays * DAY_MS > now.getTime())) return { dueAt: null, reason: '' };
  const start = doc.ownerSince ?? doc.createdAt;
  const candidates: PoolClock[] = [];
  if (limits.maxDaysWithoutFollowUp > 0) {
    const from = later(doc.lastFollowUpAt, start);
    candidates.push({ dueAt: new Date(from.getTime() + limits.maxDaysWithoutFollowUp * DAY_MS), reason: `超过 ${limits.maxDaysWithoutFollowUp} 天未跟进` });
  }
  if (dealDays > 0) {
    const from = later(doc.lastDealAt, start);
    candidates.push({ dueAt: new Date(from.getTime() + dealDays * DAY_MS), reason: `超过 ${dealDays} 天未成交` });
  }
  candidates.sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime());
  return candidates[0] ?? { dueAt: null, reason: '' };
}

/** The owners of customers now (one grouped read a day). */
async function currentOwners(): Promise<string[]> {
  const rows = await Customer.aggregate<{ _id: string }>([{ $match: { ownerId: { $type: 'string' } } }, { $group: { _id: '$ownerId', n: { $sum: 1 } } }]);
  return rows.map((row) => row._id);
}

async function remind(doc: CustomerDoc, clock: PoolClock, deps: PoolJobDeps, now: Date): Promise<boolean> {
  const ownerId = doc.ownerId!;
  const key = `pool-remind:${String(doc._id)}:${ownerId}:${clock.dueAt!.getTime()}`;
  if (!(await takeOnce(key, { keepMs: REMINDER_KEEP_MS, now }))) return false;
  await Customer.updateOne({ _id: doc._id, ownerId }, { $set: { poolReminderAt: now } });
  const user = await weChatRecipientOfStaff(ownerId);
  if (user?.oaOpenid && user.subscribed) {
    await enqueueTemplateNotice(deps.jobs, deps.logger, {
      wechatUserId: user.id,
      reason: 'customer.pool-return-soon',
      message: {
        template_id: deps.reminderTemplateId,
        client_msg_id: key.slice(0, 64),
        data: {
          thing1: { value: thing(doc.name) },
          time2: { value: date(clock.dueAt!) },
          thing3: { value: thing(`${clock.reason}，请及时跟进`) },
        },
      },
    });
  }
  return true;
}

export interface PoolSweepResult {
  returned: number;
  reminded: number;
}

/** One sweep at `now` (tests pass their own clock). */
export async function runPoolSweep(deps: PoolJobDeps, now = new Date()): Promise<PoolSweepResult> {
  const rules: PoolRules = await readPoolRules();
  const result: PoolSweepResult = { returned: 0, reminded: 0 };
  for (const ownerId of await currentOwners()) {
    const staff = await findStaffProfile(ownerId);
    const limits = await limitsOf({ id: ownerId, role: staff?.role ?? 'sales' }, rules);
    // An indexed equality per owner; locked ones are skipped in code.
    const docs = await withPoolClocks(await Customer.find({ ownerId }).lean<CustomerDoc[]>());
    for (const doc of docs) {
      const clock = poolClock(doc, limits, now);
      if (!clock.dueAt) continue;
      if (clock.dueAt.getTime() <= now.getTime()) {
        if (await putInPool(doc, 'return', clock.reason, null, now)) result.returned += 1;
        continue;
      }
      const remindFrom = clock.dueAt.getTime() - limits.remindDaysBefore * DAY_MS;
      if (limits.remindDaysBefore > 0 && !reminderStands(doc) && now.getTime() >= remindFrom && (await remind(doc, clock, deps, now))) {
        result.reminded += 1;
      }
    }
  }
  if (result.returned + result.reminded > 0) deps.logger.info(result, 'pool sweep');
  return result;
}

export function definePoolJobs(jobs: JobRunner, deps: PoolJobDeps): void {
  jobs.define(POOL_SWEEP_JOB, async () => void (await runPoolSweep(deps)), { concurrency: 1, retries: 2 });
  jobs.every(POOL_SWEEP_INTERVAL, POOL_SWEEP_JOB);
}
