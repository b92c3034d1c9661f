// /api/v1/leads/:id/{convert,close,reopen} and /api/v1/opportunities: 线索转化, 关闭线索 and 商机.
import {
  leadCloseSchema,
  leadConvertResultSchema,
  leadConvertSchema,
  leadSchema,
  objectIdParamSchema,
  opportunityCreateSchema,
  opportunityListQuerySchema,
  opportunityLostSchema,
  opportunityPatchSchema,
  opportunitySchema,
  opportunityPageSchema,
} from '@qiao/shared';
import { requireStaffPrincipal } from '../../http/auth.js';
import type { ApiRoutes } from '../../http/route.js';
import { closeLead, reopenLead } from './close.service.js';
import { convertLead } from './convert.service.js';
import { createOpportunity, getOpportunity, listOpportunities, markOpportunityLost, markOpportunityWon, updateOpportunity } from './opportunity.service.js';

export function opportunitiesRoutes(api: ApiRoutes): void {
  api.add({
    method: 'post',
    path: '/api/v1/leads/:id/convert',
    access: { staff: ['sales', 'manager'] },
    summary: '线索转化：新建或关联客户，并建立联系人和商机（负责人、协作人、经理）',
    params: objectIdParamSchema,
    body: leadConvertSchema,
    response: leadConvertResultSchema,
    handler: async ({ params, body, principal }) => convertLead(requireStaffPrincipal(principal), params.id, body),
  });
  api.add({
    method: 'post',
    path: '/api/v1/leads/:id/close',
    access: { staff: ['sales', 'manager'] },
    summary: '关闭线索（选择原因；“其他”需填写说明）',
    params: objectIdParamSchema,
    body: leadCloseSchema,
    response: leadSchema,
    handler: async ({ params, body, principal }) => closeLead(requireStaffPrincipal(principal), params.id, body),
  });
  api.add({
    method: 'post',
    path: '/api/v1/leads/:id/reopen',
    access: { staff: ['sales', 'manager'] },
    summary: '重新打开已关闭的线索（负责人或经理）',
    params: objectIdParamSchema,
    response: leadSchema,
    handler: async ({ params, principal }) => reopenLead(requireStaffPrincipal(principal), params.id),
  });
  api.add({
    method: 'get',
    path: '/api/v1/opportunities',
    access: { staff: ['sales', 'manager'] },
    summary: '商机列表（销售：自己的；经理：本部门及下级；管理员：全部）',
    query: opportunityListQuerySchema,
    response: opportunityPageSchema,
    handler: async ({ query, principal }) => listOpportunities(requireStaffPrincipal(principal), query),
  });
  api.add({
    method: 'post',
    path: '/api/v1/opportunities',
    access: { staff: ['sales', 'manager'] },
    summary: '新建商机（客户须在调用者可见范围内；销售只能自己负责，经理、管理员可指定负责人）',
    body: opportunityCreateSchema,
    response: opportunitySchema,
    status: 201,
    handler: async ({ body, principal }) => createOpportunity(requireStaffPrincipal(principal), body),
  });
  api.add({
    method: 'get',
    path: '/api/v1/opportunities/:id',
    access: { staff: ['sales', 'manager'] },
    summary: '商机详情',
    params: objectIdParamSchema,
    response: opportunitySchema,
    handler: async ({ params, principal }) => getOpportunity(requireStaffPrincipal(principal), params.id),
  });
  api.add({
    method: 'patch',
    path: '/api/v1/opportunities/:id',
    access: { staff: ['sales', 'manager'] },
    summary: '修改商机（名称、金额（分）、预计成交日期），仅跟进中的商机',
    params: objectIdParamSchema,
    body: opportunityPatchSchema,
    response: opportunitySchema,
    handler: async ({ params, body, principal }) => updateOpportunity(requireStaffPrincipal(principal), params.id, body),
  });
  api.add({
    method: 'post',
    path: '/api/v1/opportunities/:id/won',
    access: { staff: ['sales', 'manager'] },
    summary: '赢单（客户的成交时间更新，不会被退回公海）',
    params: objectIdParamSchema,
    response: opportunitySchema,
    handler: async ({ params, principal }) => markOpportunityWon(requireStaffPrincipal(principal), params.id),
  });
  api.add({
    method: 'post',
    path: '/api/v1/opportunities/:id/lost',
    access: { staff: ['sales', 'manager'] },
    summary: '输单（填写原因）',
    params: objectIdParamSchema,
    body: opportunityLostSchema,
    response: opportunitySchema,
    handler: async ({ params, body, principal }) => markOpportunityLost(requireStaffPrincipal(principal), params.id, body.reason),
  });
}
