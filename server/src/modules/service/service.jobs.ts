// Jobs of the service area: due / overdue reminders (scheduled at dispatch, swept every 15
// minutes), the daily warranty reminder and the reports' day rollups (requests, dispatch calendar: every minute).
import type { JobRunner } from '../../jobs/runner.js';
import { CALENDAR_DAYS_JOB, refreshCalendarDays } from './calendar-days.js';
import { REPORT_DAYS_INTERVAL, REPORT_DAYS_JOB, refreshRequestDays } from './report-days.js';
import { DUE_REMINDER_JOB, REMINDER_SWEEP_INTERVAL, REMINDER_SWEEP_JOB, runDueReminder, sweepReminders, type DueReminderJob } from './reminders.js';
import type { ServiceDeps } from './service.context.js';
import { runWarrantyReminders, WARRANTY_REMINDER_INTERVAL, WARRANTY_REMINDER_JOB } from './warranty.js';

export function defineServiceJobs(jobs: JobRunner, deps: ServiceDeps): void {
  jobs.define<DueReminderJob>(DUE_REMINDER_JOB, async (data) => void (await runDueReminder(data, deps)), { retries: 3 });
  jobs.define(REMINDER_SWEEP_JOB, async () => void (await sweepReminders(deps)), { concurrency: 1, retries: 0 });
  jobs.every(REMINDER_SWEEP_INTERVAL, REMINDER_SWEEP_JOB);
  jobs.define(WARRANTY_REMINDER_JOB, async () => void (await runWarrantyReminders(deps)), { concurrency: 1, retries: 2 });
  jobs.every(WARRANTY_REMINDER_INTERVAL, WARRANTY_REMINDER_JOB);
  jobs.define(REPORT_DAYS_JOB, async () => void (await refreshRequestDays()), { concurrency: 1, retries: 0 });
  jobs.every(REPORT_DAYS_INTERVAL, REPORT_DAYS_JOB);
  jobs.define(CALENDAR_DAYS_JOB, async () => void (await refreshCalendarDays()), { concurrency: 1, retries: 0 });
  jobs.every(REPORT_DAYS_INTERVAL, CALENDAR_DAYS_JOB);
}
