// What the customer 360 view reads of service requests: the latest few, how many there are, and
// the average rating. Read-only; every query is an equality on the customer (indexed).
import { Feedback, type FeedbackDoc } from './feedback.model.js';

export interface CustomerRequestCard {
  id: string;
  number: string;
  type: string;
  status: string;
  createdAt: Date;
  completedAt: Date | null;
  /** The average of the three scores, null when not rated. */
  rating: number | null;
}

type RatingDoc = Pick<FeedbackDoc, 'rating'>;
const scoreOf = (rating: RatingDoc['rating']) =>
  rating ? (rating.timeliness + rating.attitude + rating.quality) / 3 : null;

/** Requests the rating average looks at: the latest ones (an index range, however many there are). */
export const RATING_WINDOW = 100;

/**
 * A customer's service requests: the latest `limit`, the total, and the average scores of the
 * rated ones among the latest RATING_WINDOW (a customer with 10,000 requests is not read whole).
 */
export async function serviceRequestsOfCustomer(
  customerId: string,
  limit: number,
): Promise<{ items: CustomerRequestCard[]; total: number; ratingAverage: number | null; ratedCount: number }> {
  const [docs, total, recent] = await Promise.all([
    Feedback.find({ customerId }, { number: 1, type: 1, status: 1, createdAt: 1, completedAt: 1, rating: 1 })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<Array<Pick<FeedbackDoc, '_id' | 'number' | 'type' | 'status' | 'completedAt' | 'rating'> & { createdAt: Date }>>(),
    Feedback.countDocuments({ customerId }),
    Feedback.find({ customerId }, { rating: 1 }).sort({ createdAt: -1 }).limit(RATING_WINDOW).lean<RatingDoc[]>(),
  ]);
  const scores = recent.map((doc) => scoreOf(doc.rating)).filter((score): score is number => score !== null);
  const ratingAverage = scores.length > 0 ? Math.round((scores.reduce((sum, s) => sum + s, 0) / scores.length) * 10) / 10 : null;
  return {
    items: docs.map((doc) => ({
      id: String(doc._id),
      number: doc.number,
      type: doc.type,
      status: doc.status,
      createdAt: doc.createdAt,
      completedAt: doc.completedAt ?? null,
      rating: scoreOf(doc.rating) === null ? null : Math.round(scoreOf(doc.rating)! * 10) / 10,
    })),
    total,
    ratingAverage,
    ratedCount: scores.length,
  };
}
