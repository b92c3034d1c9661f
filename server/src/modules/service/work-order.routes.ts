// /api/v1/work-orders (engineers) and /api/v1/follow-ups (dispatchers).
import {
  collaboratorsRequestSchema,
  completeRequestSchema,
  feedbackDetailSchema,
  followUpCloseSchema,
  followUpListQuerySchema,
  followUpSchema,
  keyPageFields,
  objectIdParamSchema,
  pagedSchema,
  rejectRequestSchema,
  transferRequestSchema,
  visitInputSchema,
  workOrderListQuerySchema,
  workOrderSummarySchema,
} from '@qiao/shared';
import { requireStaffPrincipal } from '../../http/auth.js';
import type { ApiRoutes } from '../../http/route.js';
import { closeFollowUp, listFollowUps } from './follow-up.service.js';
import type { ServiceDeps } from './service.context.js';
import { recordVisit } from './visit.service.js';
import { acceptWorkOrder, addCollaborators, completeWorkOrder, listWorkOrders, rejectWorkOrder, transferWorkOrder } from './work-order.service.js';

const ENGINEERS = { staff: ['engineer'] } as const;

export function workOrderRoutes(api: ApiRoutes, deps: ServiceDeps): void {
  api.add({
    method: 'get',
    path: '/api/v1/work-orders',
    access: ENGINEERS,
    summary: '我的工单（待接单 / 处理中 / 已完成）',
    query: workOrderListQuerySchema,
    response: pagedSchema(workOrderSummarySchema).extend(keyPageFields),
    handler: ({ principal, query }) => listWorkOrders(requireStaffPrincipal(principal), query),
  });
  const action = (path: string, summary: string) => ({ method: 'post' as const, path: `/api/v1/work-orders/:id/${path}`, access: ENGINEERS, summary, params: objectIdParamSchema, response: feedbackDetailSchema });
  api.add({ ...action('accept', '接单'), handler: ({ principal, params }) => acceptWorkOrder(requireStaffPrincipal(principal), params.id, deps) });
  api.add({
    ...action('reject', '拒单（退回调度）'),
    body: rejectRequestSchema,
    handler: ({ principal, params, body }) => rejectWorkOrder(requireStaffPrincipal(principal), params.id, body.reason),
  });
  api.add({
    ...action('transfer', '转派给同事'),
    body: transferRequestSchema,
    handler: ({ principal, params, body }) => transferWorkOrder(requireStaffPrincipal(principal), params.id, body, deps),
  });
  api.add({
    ...action('collaborators', '添加协作人'),
    body: collaboratorsRequestSchema,
    handler: ({ principal, params, body }) => addCollaborators(requireStaffPrincipal(principal), params.id, body.engineerIds),
  });
  api.add({
    ...action('visits', '记录上门处理'),
    body: visitInputSchema,
    handler: ({ principal, params, body }) => recordVisit(requireStaffPrincipal(principal), params.id, body),
  });
  api.add({
    ...action('complete', '完工'),
    body: completeRequestSchema,
    handler: ({ principal, params, body }) => completeWorkOrder(requireStaffPrincipal(principal), params.id, body.summary, deps),
  });
}

export function followUpRoutes(api: ApiRoutes): void {
  const DISPATCHERS = { staff: ['dispatcher', 'manager'] } as const;
  api.add({
    method: 'get',
    path: '/api/v1/follow-ups',
    access: DISPATCHERS,
    summary: '回访列表（低分评价）',
    query: followUpListQuerySchema,
    response: pagedSchema(followUpSchema),
    handler: ({ principal, query }) => listFollowUps(requireStaffPrincipal(principal), query),
  });
  api.add({
    method: 'post',
    path: '/api/v1/follow-ups/:id/close',
    access: DISPATCHERS,
    summary: '完成回访',
    params: objectIdParamSchema,
    body: followUpCloseSchema,
    response: followUpSchema,
    handler: ({ principal, params, body }) => closeFollowUp(requireStaffPrincipal(principal), params.id, body.note),
  });
}
