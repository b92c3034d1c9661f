// 报表: GET /reports/:name (figures and tables) and its Excel export.
import { reportSchema, type Report, type ReportGranularity, type ReportName } from '@qiao/shared';
import { apiRequest, withQuery } from './client';

export interface ReportParams {
  /** China days, YYYY-MM-DD. */
  from: string;
  to: string;
  department?: string;
  granularity: ReportGranularity;
}

const reportPath = (name: ReportName, params: ReportParams, format?: 'xlsx') =>
  withQuery(`/reports/${encodeURIComponent(name)}`, { from: params.from, to: params.to, department: params.department || undefined, granularity: params.granularity, format });

export function getReport(name: ReportName, params: ReportParams, signal?: AbortSignal): Promise<Report> {
  return apiRequest(reportPath(name, params), { schema: reportSchema, signal });
}

export function reportExportPath(name: ReportName, params: ReportParams): string {
  return reportPath(name, params, 'xlsx');
}
