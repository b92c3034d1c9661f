// 报表: one route for every report; `format=xlsx` answers the same figures as an Excel workbook.
import { reportNameParamSchema, reportQuerySchema, reportSchema } from '@qiao/shared';
import type { ApiRoutes } from '../../http/route.js';
import { requireStaffPrincipal } from '../../http/auth.js';
import { attachmentDisposition, XLSX_TYPE } from '../spread/export.js';
import { reportWorkbook } from './report.xlsx.js';
import { buildReport } from './reports.service.js';

export function reportsRoutes(api: ApiRoutes): void {
  api.add({
    method: 'get',
    path: '/api/v1/reports/:name',
    // Which role sees which report is decided per report (reportRoles in shared/).
    access: { staff: ['manager', 'dispatcher', 'sales', 'marketer'] },
    summary: '报表（服务量、时效、满意度、工作量、派工日历、线索漏斗、公海流转、业务员业绩、客户统计；format=xlsx 导出 Excel）',
    params: reportNameParamSchema,
    query: reportQuerySchema,
    response: reportSchema,
    handler: async ({ params, query, principal, ctx }) => {
      const report = await buildReport(requireStaffPrincipal(principal), params.name, query);
      if (query.format !== 'xlsx') return report;
      ctx.type = XLSX_TYPE;
      ctx.set('Content-Disposition', attachmentDisposition(`${report.title}-${report.period.from}-${report.period.to}.xlsx`, `${report.name}-${report.period.from}-${report.period.to}.xlsx`));
      ctx.set('Cache-Control', 'no-store');
      return reportWorkbook(report);
    },
  });
}
