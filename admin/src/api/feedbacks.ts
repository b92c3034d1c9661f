// Service requests (服务请求), dispatching and follow-ups (回访): the dispatcher's side of /feedbacks.
import {
  engineerSuggestionSchema,
  feedbackAdminPageSchema,
  feedbackDetailSchema,
  followUpSchema,
  pagedSchema,
  type EngineerSuggestion,
  type FeedbackAdminPage,
  type FeedbackAdminListQuery,
  type FeedbackDetail,
  type FollowUp,
  type Paged,
} from '@qiao/shared';
import { apiRequest, withQuery } from './client';

// `{items}` without paging fields; built from pagedSchema so the console needs no zod of its own.
const suggestionsSchema = pagedSchema(engineerSuggestionSchema).pick({ items: true });
const followUpPageSchema = pagedSchema(followUpSchema);

export type FeedbackListParams = Partial<FeedbackAdminListQuery>;

/** GET /feedbacks with the dispatcher's filters (their department; admin: all). */
export function listFeedbacks(params: FeedbackListParams, signal?: AbortSignal): Promise<FeedbackAdminPage> {
  return apiRequest(withQuery('/feedbacks', params), { schema: feedbackAdminPageSchema, signal });
}

export function getFeedback(id: string, signal?: AbortSignal): Promise<FeedbackDetail> {
  return apiRequest(`/feedbacks/${encodeURIComponent(id)}`, { schema: feedbackDetailSchema, signal });
}

/** Engineers ranked by region + product-line match, then fewest open orders. */
export async function listEngineerSuggestions(id: string, signal?: AbortSignal): Promise<EngineerSuggestion[]> {
  const { items } = await apiRequest(`/feedbacks/${encodeURIComponent(id)}/engineer-suggestions`, {
    schema: suggestionsSchema,
    signal,
  });
  return items;
}

/** 派工, or 改派 when the request already has an open work order. */
export function dispatchFeedback(id: string, body: { engineerId: string; note: string }): Promise<FeedbackDetail> {
  return apiRequest(`/feedbacks/${encodeURIComponent(id)}/dispatch`, { method: 'POST', body, schema: feedbackDetailSchema });
}

export function undispatchFeedback(id: string, body: { reason: string }): Promise<FeedbackDetail> {
  return apiRequest(`/feedbacks/${encodeURIComponent(id)}/undispatch`, { method: 'POST', body, schema: feedbackDetailSchema });
}

/** 直接完成 (e.g. answered on the phone). */
export function completeFeedbackDirectly(id: string, body: { note: string }): Promise<FeedbackDetail> {
  return apiRequest(`/feedbacks/${encodeURIComponent(id)}/complete`, { method: 'POST', body, schema: feedbackDetailSchema });
}

export function listFollowUps(
  params: { status?: 'open' | 'closed'; page?: number; pageSize?: number },
  signal?: AbortSignal,
): Promise<Paged<FollowUp>> {
  return apiRequest(withQuery('/follow-ups', params), { schema: followUpPageSchema, signal });
}

export function closeFollowUp(id: string, body: { note: string }): Promise<FollowUp> {
  return apiRequest(`/follow-ups/${encodeURIComponent(id)}/close`, { method: 'POST', body, schema: followUpSchema });
}
