import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * The conversation record (公众号消息): what a follower wrote and what staff answered from the
 * console, kept OA_CHAT_RETENTION_DAYS. Not the message log of the endpoint (`oa_messages`,
 * wechat/oa/message.model.ts: every message and event with its XML and reply, for retries and
 * audit, kept QIAO_OA_MESSAGE_RETENTION_DAYS). An inbound message's `_id` is `msg:<MsgId>`, so a
 * retried message is stored once however often it is written; a reply's `_id` is random.
 */
const oaChatMessageSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The follower's Official Account openid (the conversation). */
    openid: { type: String, required: true },
    direction: { type: String, enum: ['in', 'out'], required: true },
    msgType: { type: String, required: true },
    /** The text (capped), or a placeholder such as [图片]. */
    content: { type: String, required: true },
    intent: { type: Boolean, default: false },
    /** Who sent a reply (out). */
    staffId: { type: String, default: null },
    /** When the follower wrote (received by us) or we replied. */
    at: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
// A thread, newest first; the retention cleanup deletes by age.
oaChatMessageSchema.index({ openid: 1, at: -1 });
oaChatMessageSchema.index({ at: 1 });

export type OaChatMessageDoc = InferSchemaType<typeof oaChatMessageSchema> & { _id: string };
export const OaChatMessage = mongoose.model('OaChatMessage', oaChatMessageSchema, 'oa_chat_messages');

/**
 * One conversation per follower (`_id` = openid), kept up to date with each batch of messages so
 * that the console's list is one indexed, sorted page. Counters are approximate across processes
 * (FerretDB applies `$inc` read-modify-write): "unread" is a hint, not a ledger.
 */
const oaConversationSchema = new Schema(
  {
    _id: { type: String, required: true },
    /** The wechat_users record of the openid (set once the user is known). */
    wechatUserId: { type: String, default: null },
    lastAt: { type: Date, required: true },
    lastDirection: { type: String, enum: ['in', 'out'], required: true },
    lastText: { type: String, required: true },
    /** When the follower last wrote. */
    lastInboundAt: { type: Date, default: null },
    /** Messages from the follower ever stored, and how many of them a staff member had seen. */
    inCount: { type: Number, default: 0 },
    seenInCount: { type: Number, default: 0 },
    intent: { type: Boolean, default: false },
    /** The lead made from this conversation. */
    leadId: { type: String, default: null },
  },
  { versionKey: false, minimize: false },
);
// The console's list: newest activity first, all or only those with intent.
oaConversationSchema.index({ lastAt: -1 });
oaConversationSchema.index({ intent: 1, lastAt: -1 });
oaConversationSchema.index({ wechatUserId: 1 });

export type OaConversationDoc = InferSchemaType<typeof oaConversationSchema> & { _id: string };
export const OaConversation = mongoose.model('OaConversation', oaConversationSchema, 'oa_conversations');
