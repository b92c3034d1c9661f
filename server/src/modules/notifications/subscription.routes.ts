// The mini-program's subscribe-message consent: which templates to ask for, and each answer.
import { subscriptionConsentSchema, subscriptionListSchema, subscriptionStateSchema } from '@qiao/shared';
import { requireWeChatUserId } from '../../http/auth.js';
import type { ApiRoutes } from '../../http/route.js';
import { recordConsent, subscriptionStates, type SubscribeTemplates } from './subscription.service.js';

export function subscriptionRoutes(api: ApiRoutes, templates: SubscribeTemplates): void {
  api.add({
    method: 'get',
    path: '/api/v1/me/subscriptions',
    access: 'wechat',
    summary: '订阅消息模板及剩余可接收次数',
    response: subscriptionListSchema,
    handler: async ({ principal }) => ({ items: await subscriptionStates(requireWeChatUserId(principal), templates) }),
  });
  api.add({
    method: 'post',
    path: '/api/v1/me/subscriptions',
    access: 'wechat',
    summary: '记录订阅消息授权结果（每次“允许”可接收一条）',
    body: subscriptionConsentSchema,
    response: subscriptionStateSchema,
    handler: ({ principal, body }) => recordConsent(requireWeChatUserId(principal), body, templates),
  });
}
