import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * One 允许 a mini-program user tapped in wx.requestSubscribeMessage: WeChat then accepts ONE
 * subscribe message of that template to them. One document per grant (an insert, never a counter:
 * FerretDB has no atomic increment across clients). Spending it is a claim in once_claims
 * (`subscribe-grant:<_id>`); `spentAt` / `spentFor` follow the claim, for counting and for the
 * retry of the same notice.
 */
const grantSchema = new Schema(
  {
    _id: { type: String, required: true },
    wechatUserId: { type: String, required: true },
    templateId: { type: String, required: true },
    grantedAt: { type: Date, required: true },
    spentAt: { type: Date, default: null },
    /** The notice that spent it. */
    spentFor: { type: String, default: null },
  },
  { versionKey: false },
);
grantSchema.index({ wechatUserId: 1, templateId: 1, grantedAt: 1 });

export type SubscribeGrantDoc = InferSchemaType<typeof grantSchema>;
export const SubscribeGrant = mongoose.model('SubscribeGrant', grantSchema, 'subscribe_grants');

/**
 * 未收到通知: a notice to an engineer that reached them neither as a subscribe message nor as an
 * Official Account template message. `_id` is the notice's id (a retried job records it once).
 */
const missSchema = new Schema(
  {
    _id: { type: String, required: true },
    staffId: { type: String, required: true },
    orderId: { type: String, default: null, index: true },
    feedbackId: { type: String, default: null },
    reason: { type: String, required: true },
    /** Why it could not be delivered, for the logs and the console. */
    cause: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export type NoticeMissDoc = InferSchemaType<typeof missSchema>;
export const NoticeMiss = mongoose.model('NoticeMiss', missSchema, 'notice_misses');
