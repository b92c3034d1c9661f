import { z } from 'zod';
import { pageQuerySchema } from './paging.js';

/** Service request (客户反馈) types. */
export const feedbackTypes = ['repair', 'installation', 'maintenance', 'complaint', 'suggestion', 'consultation'] as const;
export type FeedbackType = (typeof feedbackTypes)[number];
export const feedbackTypeLabels: Record<FeedbackType, string> = {
  repair: '报修',
  installation: '安装',
  maintenance: '保养',
  complaint: '投诉',
  suggestion: '建议',
  consultation: '咨询',
};

export const feedbackStatuses = ['submitted', 'dispatched', 'accepted', 'in_progress', 'completed', 'cancelled'] as const;
export type FeedbackStatus = (typeof feedbackStatuses)[number];
export const feedbackStatusLabels: Record<FeedbackStatus, string> = {
  submitted: '已提交',
  dispatched: '已派工',
  accepted: '已接单',
  in_progress: '处理中',
  completed: '已完成',
  cancelled: '已取消',
};

export const feedbackListQuerySchema = pageQuerySchema
  .extend({ status: z.enum(feedbackStatuses).optional() })
  .strict();
export type FeedbackListQuery = z.infer<typeof feedbackListQuerySchema>;

export const feedbackSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  type: z.enum(feedbackTypes),
  status: z.enum(feedbackStatuses),
  description: z.string(),
  createdAt: z.string(),
});
export type FeedbackSummary = z.infer<typeof feedbackSummarySchema>;
