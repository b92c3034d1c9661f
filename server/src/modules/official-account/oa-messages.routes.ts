import {
  oaConversationDetailSchema,
  oaConversationLeadInputSchema,
  oaConversationListQuerySchema,
  oaConversationPageSchema,
  oaConversationParamSchema,
  oaMessageListQuerySchema,
  oaMessagePageSchema,
  oaMessageSchema,
  oaReplyInputSchema,
} from '@qiao/shared';
import { AppError } from '../../errors.js';
import type { ApiRoutes } from '../../http/route.js';
import { requireStaffPrincipal } from '../../http/auth.js';
import {
  getConversation,
  listConversationMessages,
  listConversations,
  markConversationLead,
  replyToConversation,
  type CustomMessageSender,
} from './oa-message.service.js';

/** Who works the Official Account's conversations: read, reply and make leads. */
const talkers = { staff: ['manager', 'marketer', 'sales'] } as const;

/** 公众号消息: conversations with followers, customer-service replies, 转为线索. */
export function oaMessageRoutes(api: ApiRoutes, deps: { wechat?: CustomMessageSender } = {}): void {
  api.add({
    method: 'get',
    path: '/api/v1/oa/conversations',
    access: talkers,
    summary: '公众号会话列表（最近活动在前）',
    query: oaConversationListQuerySchema,
    response: oaConversationPageSchema,
    handler: async ({ query, principal }) => listConversations(query, requireStaffPrincipal(principal)),
  });
  api.add({
    method: 'get',
    path: '/api/v1/oa/conversations/:wechatUserId',
    access: talkers,
    summary: '公众号会话详情（打开即标记为已读）',
    params: oaConversationParamSchema,
    response: oaConversationDetailSchema,
    handler: async ({ params, principal }) => getConversation(params.wechatUserId, requireStaffPrincipal(principal)),
  });
  api.add({
    method: 'get',
    path: '/api/v1/oa/conversations/:wechatUserId/messages',
    access: talkers,
    summary: '公众号会话消息（第 1 页为最新消息，每页按时间先后）',
    params: oaConversationParamSchema,
    query: oaMessageListQuerySchema,
    response: oaMessagePageSchema,
    handler: async ({ params, query }) => listConversationMessages(params.wechatUserId, query),
  });
  api.add({
    method: 'post',
    path: '/api/v1/oa/conversations/:wechatUserId/reply',
    access: talkers,
    summary: '回复粉丝（客服消息，仅在对方最近 48 小时内发过消息时可发）',
    params: oaConversationParamSchema,
    body: oaReplyInputSchema,
    response: oaMessageSchema,
    status: 201,
    handler: async ({ params, body, principal }) => {
      if (!deps.wechat) throw new AppError(503, 'WECHAT_UNAVAILABLE', '未配置公众号，无法发送客服消息');
      return replyToConversation(params.wechatUserId, body.text, requireStaffPrincipal(principal), deps.wechat);
    },
  });
  api.add({
    method: 'put',
    path: '/api/v1/oa/conversations/:wechatUserId/lead',
    access: talkers,
    summary: '记录由该会话创建的线索（转为线索）',
    params: oaConversationParamSchema,
    body: oaConversationLeadInputSchema,
    response: oaConversationDetailSchema,
    handler: async ({ params, body, principal }) => markConversationLead(params.wechatUserId, body.leadId, requireStaffPrincipal(principal)),
  });
}
