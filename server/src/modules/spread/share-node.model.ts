import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * One person's place in a campaign's share tree, keyed by their share token (the `s` of every link
 * they pass on). Written with single-key operations only: the tracking path never scans.
 */
const shareNodeSchema = new Schema(
  {
    /** The share token: random, unguessable, carried in links and QR scenes. */
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    /** Who holds the token: a contact (recipient), a staff member, a WeChat user or an anonymous visitor. */
    ownerKind: { type: String, enum: ['contact', 'staff', 'wechat', 'visitor'], required: true },
    ownerId: { type: String, required: true },
    /** The token through which the holder first landed; null for a root (a recipient or a staff hand-out). */
    parent: { type: String, default: null },
  },
  { timestamps: true, versionKey: false, strict: false },
);
shareNodeSchema.index({ campaignId: 1, parent: 1 });

export type ShareNodeDoc = InferSchemaType<typeof shareNodeSchema> & { _id: string };
export const ShareNode = mongoose.model('ShareNode', shareNodeSchema, 'share_nodes');

/**
 * `owner:<campaignId>:<kind>:<id>` → token: one token per person per campaign, claimed by inserting
 * this document (the only reliable "only once" on the embedded database).
 */
const shareOwnerSchema = new Schema(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
export const ShareOwner = mongoose.model('ShareOwner', shareOwnerSchema, 'share_owners');
