// /api/v1/leads: the console's 线索 list, detail, assignment to a salesperson and status changes.
import { leadAssignSchema, leadListQuerySchema, leadPatchSchema, leadSchema, objectIdParamSchema, pagedSchema } from '@qiao/shared';
import { requireStaffPrincipal } from '../../http/auth.js';
import type { ApiRoutes } from '../../http/route.js';
import { assignLead, getLead, listLeads, setLeadStatus } from './lead.service.js';

export function leadsRoutes(api: ApiRoutes): void {
  api.add({
    method: 'get',
    path: '/api/v1/leads',
    access: { staff: ['sales', 'manager', 'marketer'] },
    summary: '线索列表（销售：自己的；经理：全部；营销：营销方案带来的）',
    query: leadListQuerySchema,
    response: pagedSchema(leadSchema),
    handler: async ({ query, principal }) => listLeads(query, requireStaffPrincipal(principal)),
  });
  api.add({
    method: 'get',
    path: '/api/v1/leads/:id',
    access: { staff: ['sales', 'manager', 'marketer'] },
    summary: '线索详情',
    params: objectIdParamSchema,
    response: leadSchema,
    handler: async ({ params, principal }) => getLead(params.id, requireStaffPrincipal(principal)),
  });
  api.add({
    method: 'post',
    path: '/api/v1/leads/:id/assign',
    access: { staff: ['manager'] },
    summary: '分配线索给销售人员',
    params: objectIdParamSchema,
    body: leadAssignSchema,
    response: leadSchema,
    handler: async ({ params, body, principal }) => assignLead(params.id, body.ownerId, requireStaffPrincipal(principal)),
  });
  api.add({
    method: 'patch',
    path: '/api/v1/leads/:id',
    access: { staff: ['sales', 'manager'] },
    summary: '修改线索状态',
    params: objectIdParamSchema,
    body: leadPatchSchema,
    response: leadSchema,
    handler: async ({ params, body, principal }) => setLeadStatus(params.id, body.status, requireStaffPrincipal(principal)),
  });
}
