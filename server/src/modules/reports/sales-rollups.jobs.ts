// The sales reports' day rollups kept ahead of the reports: every minute the leads' and customers'
// catch-up, and the fill of days never filled (after an upgrade: the whole history, once), so a
// report usually finds nothing left to do but one count per collection.
import type { JobRunner } from '../../jobs/runner.js';
import { refreshCustomerDays } from '../customers/report-days.js';
import { refreshFollowDays } from '../leads/follow-days.js';
import { refreshLeadDays } from '../leads/lead-days.js';

export const SALES_DAYS_JOB = 'reports.sales-days';
export const SALES_DAYS_INTERVAL = '1 minute';

export async function refreshSalesDays(now = new Date()): Promise<void> {
  await refreshLeadDays(now);
  await refreshFollowDays(now);
  await refreshCustomerDays();
}

export function defineSalesReportJobs(jobs: JobRunner): void {
  jobs.define(SALES_DAYS_JOB, async () => void (await refreshSalesDays()), { concurrency: 1, retries: 0 });
  jobs.every(SALES_DAYS_INTERVAL, SALES_DAYS_JOB);
}
