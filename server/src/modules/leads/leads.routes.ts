// /api/v1/leads: the console's 线索 — list, export, create (with the duplicate check), detail, edit,
// assignment (one and bulk) and collaborators. `/leads/export` and `/leads/assign` come before
// `/leads/:id` so they are never read as an id.
import {
  duplicateMatchSchema,
  leadAssignSchema,
  leadBulkAssignResultSchema,
  leadBulkAssignSchema,
  leadCollaboratorSchema,
  leadCollaboratorsSchema,
  leadConfirmQuerySchema,
  leadCreateResultSchema,
  leadInputSchema,
  leadListQuerySchema,
  leadSchema,
  leadUpdateSchema,
  objectIdParamSchema,
  leadPageSchema,
} from '@qiao/shared';
import { z } from 'zod';
import { requireStaffPrincipal } from '../../http/auth.js';
import type { ApiRoutes } from '../../http/route.js';
import { attachmentDisposition, XLSX_TYPE } from '../spread/export.js';
import { exportLeads } from './lead.export.js';
import { assignLead, bulkAssignLeads, createLead, getLead, leadColleagues, listLeads, setLeadCollaborators, updateLead } from './lead.service.js';

const confirmed = (query: { confirm?: string | undefined }) => query.confirm === '1' || query.confirm === 'true';
const SELLERS = { staff: ['sales', 'manager'] } as const;
const READERS = { staff: ['sales', 'manager', 'marketer'] } as const;

export function leadsRoutes(api: ApiRoutes): void {
  api.add({
    method: 'get',
    path: '/api/v1/leads',
    access: READERS,
    summary: '线索列表（销售：自己的和协作的；经理：本部门及下级；营销：营销方案带来的）',
    query: leadListQuerySchema,
    response: leadPageSchema,
    handler: async ({ query, principal }) => listLeads(query, requireStaffPrincipal(principal)),
  });
  api.add({
    method: 'get',
    path: '/api/v1/leads/export',
    access: READERS,
    summary: '导出线索 Excel（与列表相同的筛选和数据权限，最多 10000 条）',
    query: leadListQuerySchema,
    handler: async ({ query, principal, ctx }) => {
      const book = await exportLeads(query, requireStaffPrincipal(principal));
      ctx.type = XLSX_TYPE;
      ctx.set('Content-Disposition', attachmentDisposition(`线索-${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)}.xlsx`, 'leads.xlsx'));
      ctx.set('Cache-Control', 'no-store');
      return book;
    },
  });
  api.add({
    method: 'post',
    path: '/api/v1/leads',
    access: SELLERS,
    summary: '新建线索（撞单检查：拒绝时 409 LEAD_DUPLICATE，允许保存时带 warnings）',
    query: leadConfirmQuerySchema,
    body: leadInputSchema,
    response: leadCreateResultSchema,
    status: 201,
    handler: async ({ query, body, principal }) => createLead(requireStaffPrincipal(principal), body, { confirm: confirmed(query) }),
  });
  api.add({
    method: 'post',
    path: '/api/v1/leads/assign',
    access: { staff: ['manager'] },
    summary: '批量分配线索（最多 200 条）',
    body: leadBulkAssignSchema,
    response: leadBulkAssignResultSchema,
    handler: async ({ body, principal }) => bulkAssignLeads(body.ids, body.ownerId, requireStaffPrincipal(principal)),
  });
  api.add({
    method: 'get',
    path: '/api/v1/leads/colleagues',
    access: SELLERS,
    summary: '可选的线索协作人（在职销售和经理）',
    response: z.object({ items: z.array(leadCollaboratorSchema) }),
    handler: async () => ({ items: await leadColleagues() }),
  });
  api.add({
    method: 'get',
    path: '/api/v1/leads/:id',
    access: READERS,
    summary: '线索详情',
    params: objectIdParamSchema,
    response: leadSchema,
    handler: async ({ params, principal }) => getLead(params.id, requireStaffPrincipal(principal)),
  });
  api.add({
    method: 'patch',
    path: '/api/v1/leads/:id',
    access: SELLERS,
    summary: '修改线索（字段和状态；撞单时 409，警告模式下 ?confirm=1 仍然保存）',
    params: objectIdParamSchema,
    query: leadConfirmQuerySchema,
    body: leadUpdateSchema,
    response: leadSchema.extend({ warnings: z.array(duplicateMatchSchema) }),
    handler: async ({ params, query, body, principal }) =>
      updateLead(params.id, body, requireStaffPrincipal(principal), { confirm: confirmed(query) }),
  });
  api.add({
    method: 'post',
    path: '/api/v1/leads/:id/assign',
    access: { staff: ['manager'] },
    summary: '分配（或改派）线索给销售人员',
    params: objectIdParamSchema,
    body: leadAssignSchema,
    response: leadSchema,
    handler: async ({ params, body, principal }) => assignLead(params.id, body.ownerId, requireStaffPrincipal(principal)),
  });
  api.add({
    method: 'put',
    path: '/api/v1/leads/:id/collaborators',
    access: SELLERS,
    summary: '设置线索协作人（负责人、经理、管理员）',
    params: objectIdParamSchema,
    body: leadCollaboratorsSchema,
    response: leadSchema,
    handler: async ({ params, body, principal }) => setLeadCollaborators(params.id, body.staffIds, requireStaffPrincipal(principal)),
  });
}
