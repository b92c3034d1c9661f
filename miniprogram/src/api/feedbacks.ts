import { feedbackSummarySchema, pagedSchema, type FeedbackSummary, type Paged } from '@qiao/shared';
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
