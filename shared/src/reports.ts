// Reports (报表): one query shape for every report, one answer shape (figures, tables that the
// console charts and the Excel export writes sheet by sheet), and who may see which report.
import { z } from 'zod';
import { isoDate, objectIdSchema } from './common.js';
import type { StaffRole } from './identity.js';

export const serviceReportNames = ['service-volume', 'service-times', 'engineer-ratings', 'engineer-workload', 'dispatch-calendar'] as const;
export const salesReportNames = ['lead-funnel', 'pool-movements', 'owner-performance', 'customer-stats'] as const;
export const reportNames = [...serviceReportNames, ...salesReportNames] as const;
export type ReportName = (typeof reportNames)[number];

export const reportTitles: Record<ReportName, string> = {
  'service-volume': '服务请求量',
  'service-times': '响应与完成时效',
  'engineer-ratings': '工程师满意度',
  'engineer-workload': '工程师工作量',
  'dispatch-calendar': '派工日历',
  'lead-funnel': '线索转化漏斗',
  'pool-movements': '公海流转',
  'owner-performance': '业务员业绩',
  'customer-stats': '客户统计',
};

/**
 * Which roles see which report (admin sees all). Sales see their own records only, marketers the
 * marketing side (no contact details are in any report), dispatchers the service reports.
 */
export const reportRoles: Record<ReportName, readonly StaffRole[]> = {
  'service-volume': ['admin', 'manager', 'dispatcher'],
  'service-times': ['admin', 'manager', 'dispatcher'],
  'engineer-ratings': ['admin', 'manager', 'dispatcher'],
  'engineer-workload': ['admin', 'manager', 'dispatcher'],
  'dispatch-calendar': ['admin', 'manager', 'dispatcher'],
  'lead-funnel': ['admin', 'manager', 'sales', 'marketer'],
  'pool-movements': ['admin', 'manager', 'sales'],
  'owner-performance': ['admin', 'manager', 'sales'],
  'customer-stats': ['admin', 'manager', 'sales', 'marketer'],
};

export const reportsForRole = (role: StaffRole): ReportName[] => reportNames.filter((name) => reportRoles[name].includes(role));

export const reportGranularities = ['day', 'week', 'month'] as const;
export type ReportGranularity = (typeof reportGranularities)[number];
export const reportGranularityLabels: Record<ReportGranularity, string> = { day: '按日', week: '按周', month: '按月' };

/** The longest period a report covers, and the dispatch calendar's (a week or a month on screen). */
export const REPORT_MAX_DAYS = 366;
export const CALENDAR_MAX_DAYS = 31;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;
/** Days from `from` to `to`, both included. */
export const periodDays = (from: string, to: string) => dayNumber(to) - dayNumber(from) + 1;

/** `?from=&to=` are China calendar days (both included); the default is the last 30 days. */
export const reportQuerySchema = z
  .object({
    from: isoDate.optional(),
    to: isoDate.optional(),
    /** A department of the tree: its whole subtree; must lie in the caller's scope. */
    department: objectIdSchema.optional(),
    granularity: z.enum(reportGranularities, { message: '统计粒度应为 day、week 或 month' }).default('day'),
    format: z.enum(['json', 'xlsx'], { message: '导出格式只支持 xlsx' }).default('json'),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['from'] })
  .refine((q) => !q.from || !q.to || periodDays(q.from, q.to) <= REPORT_MAX_DAYS, {
    message: `统计区间最长 ${REPORT_MAX_DAYS} 天`,
    path: ['to'],
  });
export type ReportQuery = z.infer<typeof reportQuerySchema>;

export const reportNameParamSchema = z.object({ name: z.string().max(40) }).strict();

/** How a column's numbers read: hours and percentages with one decimal, amounts in 元 (stored as 分). */
export const reportColumnKinds = ['text', 'number', 'hours', 'percent', 'money'] as const;
export type ReportColumnKind = (typeof reportColumnKinds)[number];

export const reportColumnSchema = z.object({
  key: z.string(),
  title: z.string(),
  kind: z.enum(reportColumnKinds),
  /** Drawn in the table's chart (the first column is the chart's category axis). */
  charted: z.boolean(),
});
export type ReportColumn = z.infer<typeof reportColumnSchema>;

export const reportCellSchema = z.union([z.string(), z.number(), z.null()]);
export type ReportCell = z.infer<typeof reportCellSchema>;

export const reportCharts = ['line', 'bar', 'stacked', 'pie'] as const;
export type ReportChart = (typeof reportCharts)[number];

export const reportTableSchema = z.object({
  key: z.string(),
  title: z.string(),
  /** How the console draws it; null: a table only. */
  chart: z.enum(reportCharts).nullable(),
  columns: z.array(reportColumnSchema),
  rows: z.array(z.record(z.string(), reportCellSchema)),
});
export type ReportTable = z.infer<typeof reportTableSchema>;

export const reportFigureSchema = z.object({ key: z.string(), label: z.string(), value: z.number().nullable(), kind: z.enum(reportColumnKinds) });
export type ReportFigure = z.infer<typeof reportFigureSchema>;

/** 派工日历: one row per engineer, one cell per China day with that day's orders. */
export const calendarEntrySchema = z.object({
  workOrderId: z.string(),
  number: z.string(),
  /** HH:mm (China time) the order was dispatched. */
  time: z.string(),
  status: z.string(),
  statusLabel: z.string(),
  /** 期望上门时间 (China time, `YYYY-MM-DD HH:mm`), when the request has one. */
  requestedBy: z.string().nullable(),
});
export type CalendarEntry = z.infer<typeof calendarEntrySchema>;
export const dispatchCalendarSchema = z.object({
  days: z.array(z.string()),
  engineers: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      /** Per day the first orders (at most 3, in dispatch order) … */
      cells: z.record(z.string(), z.array(calendarEntrySchema)),
      /** … and how many more that day has (days with none left out). */
      more: z.record(z.string(), z.number()).optional(),
    }),
  ),
});
export type DispatchCalendar = z.infer<typeof dispatchCalendarSchema>;

export const reportSchema = z.object({
  name: z.enum(reportNames),
  title: z.string(),
  period: z.object({ from: z.string(), to: z.string(), granularity: z.enum(reportGranularities) }),
  /** The department filter applied (null: the caller's whole scope). */
  department: z.string().nullable(),
  /** Whose records: `all` in the department scope, `own` for a salesperson, `campaign` leads for a marketer. */
  scope: z.enum(['all', 'own', 'campaign']),
  figures: z.array(reportFigureSchema),
  tables: z.array(reportTableSchema),
  calendar: dispatchCalendarSchema.nullable(),
});
export type Report = z.infer<typeof reportSchema>;
