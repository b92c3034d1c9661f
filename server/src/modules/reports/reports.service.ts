// GET /reports/:name: which report, for whom, over which period — then the report's own builder.
import { CALENDAR_MAX_DAYS, REPORT_MAX_DAYS, periodDays, reportNames, reportTitles, type Report, type ReportName, type ReportQuery } from '@qiao/shared';
import { badRequest, notFound } from '../../errors.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { accessScope, reportAccess, type ReportAccess } from './access.js';
import { dispatchCalendar, engineerWorkload } from './engineer-reports.js';
import { resolvePeriod, type Period } from './period.js';
import { customerStats, leadFunnel, ownerPerformance, poolMovements } from './sales-reports.js';
import { engineerRatings, serviceTimes, serviceVolume, type ReportBody } from './service-reports.js';

type Builder = (access: ReportAccess, period: Period, now: Date) => Promise<ReportBody>;

const builders: Record<ReportName, Builder> = {
  'service-volume': serviceVolume,
  'service-times': serviceTimes,
  'engineer-ratings': engineerRatings,
  'engineer-workload': engineerWorkload,
  'dispatch-calendar': dispatchCalendar,
  'lead-funnel': leadFunnel,
  'pool-movements': poolMovements,
  'owner-performance': ownerPerformance,
  'customer-stats': customerStats,
};

const isReportName = (name: string): name is ReportName => (reportNames as readonly string[]).includes(name);

export async function buildReport(viewer: StaffPrincipal, name: string, query: ReportQuery, now = new Date()): Promise<Report> {
  if (!isReportName(name)) throw notFound('REPORT_NOT_FOUND', '没有这个报表');
  const access = await reportAccess(viewer, name, query.department);
  const period = resolvePeriod(query, now);
  // The query schema checks a period given whole; one end alone is measured against its default.
  if (periodDays(period.from, period.to) > REPORT_MAX_DAYS) throw badRequest('REPORT_PERIOD_TOO_LONG', `统计区间最长 ${REPORT_MAX_DAYS} 天，请缩短统计区间`);
  if (name === 'dispatch-calendar' && periodDays(period.from, period.to) > CALENDAR_MAX_DAYS) {
    throw badRequest('REPORT_PERIOD_TOO_LONG', `派工日历最多显示 ${CALENDAR_MAX_DAYS} 天，请缩短统计区间`);
  }
  const body = await builders[name](access, period, now);
  return {
    name,
    title: reportTitles[name],
    period: { from: period.from, to: period.to, granularity: period.granularity },
    department: access.department,
    scope: accessScope(access),
    ...body,
  };
}
