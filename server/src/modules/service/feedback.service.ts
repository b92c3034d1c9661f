import type { FeedbackListQuery, FeedbackStatus, FeedbackSummary, FeedbackType, Paged } from '@qiao/shared';
import { Feedback, type FeedbackDoc } from './feedback.model.js';

function toSummary(doc: FeedbackDoc): FeedbackSummary {
  return {
    id: String(doc._id),
    number: doc.number,
    type: doc.type as FeedbackType,
    status: doc.status as FeedbackStatus,
    description: doc.description,
    createdAt: doc.createdAt.toISOString(),
  };
}

/** A customer's own service requests, newest first. */
export async function listCustomerFeedbacks(wechatUserId: string, query: FeedbackListQuery): Promise<Paged<FeedbackSummary>> {
  const filter = { wechatUserId, ...(query.status ? { status: query.status } : {}) };
  const [docs, total] = await Promise.all([
    Feedback.find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .skip((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .lean<FeedbackDoc[]>(),
    Feedback.countDocuments(filter),
  ]);
  return { items: docs.map(toSummary), total, page: query.page, pageSize: query.pageSize };
}
