import {
  feedbackDetailSchema,
  feedbackSummarySchema,
  pagedSchema,
  type FeedbackCreate,
  type FeedbackDetail,
  type FeedbackSummary,
  type Paged,
  type RatingInput,
} from '@qiao/shared';
import { authedRequest, parseResponse } from './session';

const feedbackPageSchema = pagedSchema(feedbackSummarySchema);

/** The logged-in customer's service requests (客户反馈), newest first as the server orders them. */
export async function listMyFeedbacks(page: number, pageSize: number): Promise<Paged<FeedbackSummary>> {
  const data = await authedRequest<unknown>({
    path: '/api/v1/feedbacks',
    query: { page, pageSize },
  });
  return parseResponse(feedbackPageSchema, data);
}

/** `POST /feedbacks`; the same `clientRequestId` again answers the request created the first time. */
export async function createFeedback(input: FeedbackCreate): Promise<FeedbackDetail> {
  const data = await authedRequest<unknown>({ method: 'POST', path: '/api/v1/feedbacks', body: input });
  return parseResponse(feedbackDetailSchema, data);
}

/** `GET /feedbacks/:id`: for the owner customer, or the assigned/collaborating engineer (with internal notes). */
export async function getFeedback(id: string): Promise<FeedbackDetail> {
  const data = await authedRequest<unknown>({ path: `/api/v1/feedbacks/${encodeURIComponent(id)}` });
  return parseResponse(feedbackDetailSchema, data);
}

/** `POST /feedbacks/:id/rating`: once, after completion. */
export async function rateFeedback(id: string, rating: RatingInput): Promise<FeedbackDetail> {
  const data = await authedRequest<unknown>({
    method: 'POST',
    path: `/api/v1/feedbacks/${encodeURIComponent(id)}/rating`,
    body: rating,
  });
  return parseResponse(feedbackDetailSchema, data);
}
