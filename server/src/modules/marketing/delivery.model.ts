import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * One recipient of a campaign. `_id` = `<campaignId>:<contactId>` for a contact and
 * `<campaignId>:staff:<staffId>` for a staff hand-out: inserted (state `sending`) BEFORE anything is
 * sent, so a re-run after a crash finds it and never sends twice (docs/only-once.md).
 */
const deliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    recipientKind: { type: String, enum: ['contact', 'staff'], required: true },
    /** Contact id or staff id. */
    recipientId: { type: String, required: true },
    wechatUserId: { type: String, default: null },
    openid: { type: String, default: null },
    /** sending → sent / failed / skipped. */
    state: { type: String, enum: ['sending', 'sent', 'failed', 'skipped'], required: true },
    /** `sent`, or `<state>:<reason>` (e.g. `skipped:quota`): one field to count by. */
    outcome: { type: String, required: true },
    reason: { type: String, default: null },
    /** The channel that delivered it (or was being tried). */
    channel: { type: String, default: null },
    /** Channels still to try after the current one (service → mass fall-through). */
    pending: { type: [String], default: [] },
    shareToken: { type: String, default: null },
    /** A `sending` record older than this was cut off by a crash. */
    leaseUntil: { type: Date, default: null },
    sentAt: { type: Date, default: null },
    error: { type: String, default: null },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
deliverySchema.index({ campaignId: 1, outcome: 1 });
deliverySchema.index({ campaignId: 1, state: 1 });
// 我的方案 (by recipient, newest first), the frequency cap and the monthly mass quota.
deliverySchema.index({ recipientId: 1, createdAt: -1 });
deliverySchema.index({ openid: 1, channel: 1, sentAt: -1 });
// The unsubscribe link identifies the recipient by their share token.
deliverySchema.index({ shareToken: 1 });

export type DeliveryDoc = InferSchemaType<typeof deliverySchema> & { _id: string; createdAt: Date; updatedAt: Date };
export const Delivery = mongoose.model('CampaignDelivery', deliverySchema, 'campaign_deliveries');

export const contactDeliveryId = (campaignId: string, contactId: string) => `${campaignId}:${contactId}`;
export const staffDeliveryId = (campaignId: string, staffId: string) => `${campaignId}:staff:${staffId}`;

/** Opt-outs from marketing: `_id` `contact:<id>` or `wechat:<wechatUserId>` (a follower not yet a contact). */
const optOutSchema = new Schema(
  {
    _id: { type: String, required: true },
    source: { type: String, enum: ['reply', 'link'], required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
export const OptOut = mongoose.model('MarketingOptOut', optOutSchema, 'marketing_opt_outs');
