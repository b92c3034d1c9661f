// 满意度: the customer rates a completed request once; any score at or below the threshold opens
// one follow-up (回访) for the dispatchers.
import { LOW_RATING_THRESHOLD, type FeedbackDetail, type RatingInput } from '@qiao/shared';
import { buildFeedbackDetail } from './feedback.view.js';
import { feedbackFor } from './permissions.js';
import { alreadyRated, ratingNotAllowed } from './service.errors.js';
import type { CustomerViewer } from './service.context.js';
import { StateChange } from './state-change.js';

export const isLowRating = (rating: Pick<RatingInput, 'timeliness' | 'attitude' | 'quality'>) =>
  Math.min(rating.timeliness, rating.attitude, rating.quality) <= LOW_RATING_THRESHOLD;

export async function rateFeedback(viewer: CustomerViewer, feedbackId: string, input: RatingInput, now = new Date()): Promise<FeedbackDetail> {
  const { feedback } = await feedbackFor(viewer, feedbackId);
  if (feedback.rating) throw alreadyRated();
  if (feedback.status !== 'completed') throw ratingNotAllowed();

  const change = new StateChange('rate', viewer.wechatUserId).update(
    'Feedback',
    feedback,
    { rating: { ...input, ratedAt: now } },
    { events: [{ kind: 'rated', at: now }] },
  );
  // The follow-up's _id is the request's: there is never a second one.
  if (isLowRating(input)) change.insert('FollowUp', { _id: feedback._id, feedbackId: String(feedback._id), department: feedback.department, status: 'open', version: 0 });
  await change.commit();
  return buildFeedbackDetail(await feedbackFor(viewer, feedbackId), viewer, now);
}
