import { feedbackListQuerySchema } from '@qiao/shared';
import { requireCustomerPrincipal } from '../../http/auth.js';
import type { ApiRoutes } from '../../http/route.js';
import { listCustomerFeedbacks } from './feedback.service.js';

export function feedbackRoutes(api: ApiRoutes): void {
  api.add({
    method: 'get',
    path: '/api/v1/feedbacks',
    access: 'customer',
    summary: '我的服务请求',
    query: feedbackListQuerySchema,
    handler: ({ principal, query }) => listCustomerFeedbacks(requireCustomerPrincipal(principal).wechatUserId, query),
  });
}
