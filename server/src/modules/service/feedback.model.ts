import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { feedbackStatuses, feedbackTypes } from '@qiao/shared';

/** A customer's service request (客户反馈). Submission and the work-order flow build on this. */
const feedbackSchema = new Schema(
  {
    number: { type: String, required: true, unique: true },
    /** The WeChat user who submitted it: what a customer may see. */
    wechatUserId: { type: String, required: true, index: true },
    type: { type: String, enum: feedbackTypes, required: true },
    status: { type: String, enum: feedbackStatuses, required: true, default: 'submitted' },
    description: { type: String, required: true },
  },
  { timestamps: true, versionKey: false },
);

export type FeedbackDoc = InferSchemaType<typeof feedbackSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date };
export const Feedback = mongoose.model('Feedback', feedbackSchema, 'feedbacks');
