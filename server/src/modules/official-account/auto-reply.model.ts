import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { autoReplyTriggers } from '@qiao/shared';

/** Replies the Official Account sends by itself: keywords, menu clicks, the welcome and the default. */
const autoReplySchema = new Schema(
  {
    trigger: { type: String, enum: autoReplyTriggers, required: true },
    /** Keyword (exact/contains) or menu key (click); empty for subscribe/default. */
    keyword: { type: String, default: '' },
    reply: { type: String, required: true },
    enabled: { type: Boolean, default: true },
  },
  { timestamps: true, versionKey: false },
);

export type AutoReplyDoc = InferSchemaType<typeof autoReplySchema> & { _id: mongoose.Types.ObjectId };
export const AutoReply = mongoose.model('AutoReply', autoReplySchema, 'oa_auto_replies');
