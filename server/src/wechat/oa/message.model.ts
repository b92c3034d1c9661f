import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * Every message and event the Official Account receives, for the record. `_id` is the dedupe key
 * (`msg:<MsgId>`, or `evt:<FromUserName>:<CreateTime>:<Event>` for events). Handling it only once
 * is not decided here but by the leased claim `oa:<dedupe key>` in once_claims (lib/once.ts); a
 * `handled` record is the message's done mark and keeps the reply replayed to WeChat's retries
 * (message-log.ts).
 */
const inboundMessageSchema = new Schema(
  {
    _id: { type: String, required: true },
    openid: { type: String, required: true },
    msgType: { type: String, required: true },
    event: { type: String, default: null },
    eventKey: { type: String, default: null },
    msgId: { type: String, default: null },
    content: { type: String, default: null },
    /** The decrypted XML as WeChat sent it. */
    xml: { type: String, required: true },
    sentAt: { type: Date, required: true },
    status: { type: String, enum: ['processing', 'handled', 'failed'], required: true },
    /** What we answered (text or news), replayed to retries. */
    reply: { type: Schema.Types.Mixed, default: null },
    handledAt: { type: Date, default: null },
    error: { type: String, default: null },
  },
  { timestamps: { createdAt: 'receivedAt', updatedAt: false }, versionKey: false, minimize: false },
);

// The retention cleanup deletes by age.
inboundMessageSchema.index({ receivedAt: 1 });

export type InboundMessageDoc = InferSchemaType<typeof inboundMessageSchema> & { _id: string };
export const InboundMessage = mongoose.model('InboundMessage', inboundMessageSchema, 'oa_messages');
