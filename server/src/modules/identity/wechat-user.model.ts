import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * One WeChat person. The Official Account openid and the mini-program openid of the same person
 * end up on one record once WeChat tells us their unionid.
 */
const wechatUserSchema = new Schema(
  {
    _id: { type: String, required: true },
    unionid: { type: String, default: null },
    oaOpenid: { type: String, default: null },
    mpOpenid: { type: String, default: null },
    subscribed: { type: Boolean, default: false },
    firstSubscribedAt: { type: Date, default: null },
    subscribedAt: { type: Date, default: null },
    unsubscribedAt: { type: Date, default: null },
    /** The QR scene that brought them the last time they followed (e.g. a campaign or engineer code). */
    subscribeScene: { type: String, default: null },
    sceneHistory: {
      type: [{ _id: false, scene: String, event: { type: String, enum: ['subscribe', 'scan'] }, at: Date }],
      default: [],
    },
    /** Last message or event from them: opens WeChat's customer-service window. */
    lastInteractionAt: { type: Date, default: null },
    /** Contact (联系人) they verified as; set by identity verification. */
    contactId: { type: String, default: null },
    /** Staff member bound to this WeChat user by invite code. */
    staffId: { type: String, default: null },
    /**
     * Records folded into this one when they turned out to be the same person (unionid learnt
     * later): what they submitted stays this person's (service requests keep who submitted them).
     */
    mergedIds: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false },
);

// Who is a contact's WeChat user (notifications, unbinding a contact).
wechatUserSchema.index({ contactId: 1 });

export type WeChatUserDoc = InferSchemaType<typeof wechatUserSchema> & { _id: string };
export const WeChatUser = mongoose.model('WeChatUser', wechatUserSchema, 'wechat_users');

/**
 * Lookup keys → user id: `oa:<openid>`, `mp:<openid>`, `union:<unionid>`, and `merged:<old user id>`
 * for a record folded into another (its sessions and tickets find the survivor). Keyed by _id so that
 * resolving a message's sender is a single-key read, and a unique claim across processes.
 */
const wechatIdentitySchema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
export const WeChatIdentity = mongoose.model('WeChatIdentity', wechatIdentitySchema, 'wechat_identities');
