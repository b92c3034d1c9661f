// /api/v1/feedbacks: customers submit, list, read and rate their requests; dispatchers list,
// read and act on their department's.
import {
  completeDirectlyRequestSchema,
  dispatchRequestSchema,
  engineerSuggestionSchema,
  feedbackAdminItemSchema,
  feedbackAdminListQuerySchema,
  keyPageFields,
  feedbackCreateSchema,
  feedbackDetailSchema,
  feedbackListQuerySchema,
  feedbackSummarySchema,
  objectIdParamSchema,
  pagedSchema,
  ratingInputSchema,
  undispatchRequestSchema,
} from '@qiao/shared';
import { z } from 'zod';
import { badRequest } from '../../errors.js';
import { requireCustomerPrincipal, requireStaffPrincipal } from '../../http/auth.js';
import { zodDetails } from '../../http/errors.js';
import { Reply, type ApiRoutes } from '../../http/route.js';
import { completeDirectly, dispatchFeedback, suggestEngineers, undispatchFeedback } from './dispatch.service.js';
import { listFeedbacksForDispatcher } from './feedback.query.js';
import { getFeedbackDetail, listCustomerFeedbacks, submitFeedback } from './feedback.service.js';
import { rateFeedback } from './rating.service.js';
import type { ServiceDeps } from './service.context.js';

const DISPATCHERS = { staff: ['dispatcher', 'manager'] } as const;

export function feedbackRoutes(api: ApiRoutes, deps: ServiceDeps): void {
  api.add({
    method: 'post',
    path: '/api/v1/feedbacks',
    access: 'customer',
    summary: '提交服务请求（同一 clientRequestId 重复提交返回原请求）',
    body: feedbackCreateSchema,
    response: feedbackDetailSchema,
    status: 201,
    handler: async ({ principal, body }) => {
      const { created, detail } = await submitFeedback(requireCustomerPrincipal(principal).wechatUserId, body);
      return created ? detail : new Reply(200, detail);
    },
  });
  api.add({
    method: 'get',
    path: '/api/v1/feedbacks',
    access: { ...DISPATCHERS, customer: true },
    summary: '服务请求列表（客户：我的服务；调度：本部门）',
    // Dispatchers' filters; a customer's query is checked against feedbackListQuerySchema below.
    query: feedbackAdminListQuerySchema,
    response: pagedSchema(z.union([feedbackAdminItemSchema, feedbackSummarySchema])).extend(keyPageFields),
    handler: async ({ principal, query, ctx }) => {
      if (principal?.kind === 'customer') {
        const own = feedbackListQuerySchema.safeParse(ctx.query);
        if (!own.success) throw badRequest('VALIDATION_FAILED', '请求参数不正确', zodDetails(own.error));
        return listCustomerFeedbacks(principal.wechatUserId, own.data);
      }
      return listFeedbacksForDispatcher(requireStaffPrincipal(principal), query);
    },
  });
  api.add({
    method: 'get',
    path: '/api/v1/feedbacks/:id',
    access: { staff: ['dispatcher', 'manager', 'engineer'], customer: true },
    summary: '服务请求详情（客户看不到内部备注）',
    params: objectIdParamSchema,
    response: feedbackDetailSchema,
    handler: ({ principal, params }) => getFeedbackDetail(principal!, params.id),
  });
  api.add({
    method: 'get',
    path: '/api/v1/feedbacks/:id/engineer-suggestions',
    access: DISPATCHERS,
    summary: '推荐工程师（地区、产品线匹配优先，其次工单最少）',
    params: objectIdParamSchema,
    response: z.object({ items: z.array(engineerSuggestionSchema) }),
    handler: ({ principal, params }) => suggestEngineers(requireStaffPrincipal(principal), params.id),
  });
  api.add({
    method: 'post',
    path: '/api/v1/feedbacks/:id/dispatch',
    access: DISPATCHERS,
    summary: '派工（已有未完成工单时改派）',
    params: objectIdParamSchema,
    body: dispatchRequestSchema,
    response: feedbackDetailSchema,
    handler: ({ principal, params, body }) => dispatchFeedback(requireStaffPrincipal(principal), params.id, body, deps),
  });
  api.add({
    method: 'post',
    path: '/api/v1/feedbacks/:id/undispatch',
    access: DISPATCHERS,
    summary: '撤销派工',
    params: objectIdParamSchema,
    body: undispatchRequestSchema,
    response: feedbackDetailSchema,
    handler: ({ principal, params, body }) => undispatchFeedback(requireStaffPrincipal(principal), params.id, body.reason),
  });
  api.add({
    method: 'post',
    path: '/api/v1/feedbacks/:id/complete',
    access: DISPATCHERS,
    summary: '直接完成',
    params: objectIdParamSchema,
    body: completeDirectlyRequestSchema,
    response: feedbackDetailSchema,
    handler: ({ principal, params, body }) => completeDirectly(requireStaffPrincipal(principal), params.id, body.note, deps),
  });
  api.add({
    method: 'post',
    path: '/api/v1/feedbacks/:id/rating',
    access: 'customer',
    summary: '评价服务（完成后一次；低分生成回访）',
    params: objectIdParamSchema,
    body: ratingInputSchema,
    response: feedbackDetailSchema,
    handler: ({ principal, params, body }) => rateFeedback(requireCustomerPrincipal(principal), params.id, body),
  });
}
