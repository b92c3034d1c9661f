// 公众号消息: conversations with followers, customer-service replies, the lead made from one.
import {
  oaConversationDetailSchema,
  oaConversationPageSchema,
  oaMessagePageSchema,
  oaMessageSchema,
  type OaConversationDetail,
  type OaConversationPage,
  type OaMessageItem,
  type OaMessagePage,
} from '@qiao/shared';
import { apiRequest, withQuery } from './client';

const path = (wechatUserId: string, rest = '') => `/oa/conversations/${encodeURIComponent(wechatUserId)}${rest}`;

/** `cursor`: the previous page's `nextCursor` (the page after it, by key). */
export function listConversations(params: { q?: string; intent?: boolean; page: number; pageSize: number; cursor?: string }, signal?: AbortSignal): Promise<OaConversationPage> {
  return apiRequest(withQuery('/oa/conversations', { ...params, intent: params.intent ? '1' : undefined }), { schema: oaConversationPageSchema, signal });
}

/** Opening a conversation marks the follower's messages seen. */
export function getConversation(wechatUserId: string, signal?: AbortSignal): Promise<OaConversationDetail> {
  return apiRequest(path(wechatUserId), { schema: oaConversationDetailSchema, signal });
}

/** Page 1 holds the newest messages; each page is oldest first; `cursor` (a `nextCursor`) reads the older ones before it. */
export function listConversationMessages(wechatUserId: string, params: { page: number; pageSize: number; cursor?: string }, signal?: AbortSignal): Promise<OaMessagePage> {
  return apiRequest(withQuery(path(wechatUserId, '/messages'), params), { schema: oaMessagePageSchema, signal });
}

/** A customer-service message; 409 OUTSIDE_SERVICE_WINDOW past WeChat's 48 hours. */
export function replyToConversation(wechatUserId: string, text: string): Promise<OaMessageItem> {
  return apiRequest(path(wechatUserId, '/reply'), { method: 'POST', body: { text }, schema: oaMessageSchema });
}

export function markConversationLead(wechatUserId: string, leadId: string): Promise<OaConversationDetail> {
  return apiRequest(path(wechatUserId, '/lead'), { method: 'PUT', body: { leadId }, schema: oaConversationDetailSchema });
}
