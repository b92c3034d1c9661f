import Taro from '@tarojs/taro';
import { subscriptionListSchema, subscriptionStateSchema, type SubscriptionState } from '@qiao/shared';
import { h5Openid } from '../api/login-code';
import { request } from '../api/request';
import { authedRequest, parseResponse } from '../api/session';

/** `GET /me/subscriptions`: the templates to ask consent for, and how many messages each still allows. */
export async function loadSubscriptions(): Promise<SubscriptionState[]> {
  const data = await authedRequest<unknown>({ path: '/api/v1/me/subscriptions' });
  return parseResponse(subscriptionListSchema, data).items;
}

async function report(templateId: string, accepted: boolean): Promise<SubscriptionState> {
  const data = await authedRequest<unknown>({ method: 'POST', path: '/api/v1/me/subscriptions', body: { templateId, accepted } });
  return parseResponse(subscriptionStateSchema, data);
}

/**
 * The person's answer per template. weapp: wx.requestSubscribeMessage — it must run inside a tap
 * handler, so call this first thing in an onClick. H5 (against the sandbox): there is no such
 * dialog; the tap itself is the 允许, given to the sandbox's WeChat.
 */
async function ask(templateIds: string[]): Promise<Record<string, boolean>> {
  if (process.env.TARO_ENV === 'h5') {
    await request({ method: 'POST', path: '/sandbox/mp/subscribe-consent', body: { openid: h5Openid(), templateIds } });
    return Object.fromEntries(templateIds.map((id) => [id, true]));
  }
  const answer = (await Taro.requestSubscribeMessage({ tmplIds: templateIds, entityIds: [] })) as unknown as Record<string, unknown>;
  return Object.fromEntries(templateIds.map((id) => [id, answer[id] === 'accept']));
}

/**
 * Ask for consent to receive one more of each notice (each 允许 allows ONE message) and report
 * the answers to the server. Returns the new states; throws when asking failed.
 */
export async function requestNoticeConsent(templates: SubscriptionState[]): Promise<SubscriptionState[]> {
  if (templates.length === 0) return [];
  const answers = await ask(templates.map((template) => template.templateId));
  return Promise.all(templates.map((template) => report(template.templateId, answers[template.templateId] ?? false)));
}
