import mongoose, { Schema, type InferSchemaType } from 'mongoose';

// Counters are top-level numbers: the embedded database serves equality, ranges and sorts on
// top-level fields from the indexes only. They are written by `counters.ts` (`$inc`, one flush at a time).
const counter = { type: Number, default: 0 } as const;

/**
 * One person's place in a campaign's share tree, keyed by their share token (the `s` of every link
 * they pass on). Written with single-key operations only: the tracking path never scans.
 */
const shareNodeSchema = new Schema(
  {
    /** The share token, carried in links and QR scenes: derived from campaign + owner under a server key (share-token.ts); random for nodes made before. */
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    /** Who holds the token: a contact (recipient), a staff member, a WeChat user or an anonymous visitor. */
    ownerKind: { type: String, enum: ['contact', 'staff', 'wechat', 'visitor'], required: true },
    ownerId: { type: String, required: true },
    /** The token through which the holder first landed; null for a root (a recipient or a staff hand-out). */
    parent: { type: String, default: null },
    /** The tokens above this node, root first (fixed when the node is created: a node never moves). */
    ancestors: { type: [String], default: [] },
    depth: { type: Number, default: 0 },
    /** Made by its holder's first landing (their first visit was then), not handed out by distribution. */
    landed: { type: Boolean, default: false },
    /** Views through this token by others, and the visitors new to the campaign among them. */
    views: counter,
    uniqueVisitors: counter,
    /** Children: people who first landed through this token. */
    shares: counter,
    /** The holder's own intents, and whether they became a new lead. */
    intents: counter,
    leads: counter,
    /** The holder opening their own link (a recipient's "read"). */
    selfViews: counter,
    /** This node and everything below it. */
    subtreeViews: counter,
    subtreeUniqueVisitors: counter,
    subtreeIntents: counter,
    subtreeLeads: counter,
    subtreeNodes: { type: Number, default: 1 },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false, strict: false },
);
// Lazy expansion (children of a node, biggest subtree first), roots (parent null).
shareNodeSchema.index({ campaignId: 1, parent: 1, subtreeViews: -1 });
// Stats: the deepest node, the widest fan-out, the people who shared, the recipients who read.
shareNodeSchema.index({ campaignId: 1, depth: -1 });
shareNodeSchema.index({ campaignId: 1, shares: -1 });
shareNodeSchema.index({ campaignId: 1, selfViews: -1 });
// Time filter of the tree.
shareNodeSchema.index({ campaignId: 1, createdAt: 1 });

export type ShareNodeDoc = InferSchemaType<typeof shareNodeSchema> & { _id: string };
export const ShareNode = mongoose.model('ShareNode', shareNodeSchema, 'share_nodes');

/**
 * `owner:<campaignId>:<kind>:<id>` → token: how a person's random token was claimed before tokens
 * were derived. No longer written; read only for campaigns that have such claims (lookup.service.ts).
 */
const shareOwnerSchema = new Schema(
  {
    _id: { type: String, required: true },
    token: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
export const ShareOwner = mongoose.model('ShareOwner', shareOwnerSchema, 'share_owners');

/**
 * `<campaignId>:<viewer kind>:<viewer id>`: a viewer's first view of a campaign. Inserting it is how
 * a unique visitor is counted once (a refused insert: seen before).
 */
const shareVisitorSchema = new Schema(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    viewerKind: { type: String, required: true },
    viewerId: { type: String, required: true },
    /** The token they first landed through (null: opened without one). */
    via: { type: String, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
// Contacts who viewed a campaign (segment rule "read / not read").
shareVisitorSchema.index({ campaignId: 1, viewerKind: 1 });
export const ShareVisitor = mongoose.model('ShareVisitor', shareVisitorSchema, 'share_visitors');

/** Per campaign (`_id` = campaignId): totals of the tracking, kept by `$inc`. */
const spreadTotalsSchema = new Schema(
  {
    _id: { type: String, required: true },
    views: counter,
    uniqueVisitors: counter,
    intents: counter,
    leads: counter,
  },
  { versionKey: false },
);
export const SpreadTotals = mongoose.model('SpreadTotals', spreadTotalsSchema, 'spread_totals');

/**
 * The reach of one staff member or customer contact (`<scope>:<kind>:<id>`, scope a campaign id or
 * `all`): the leaderboard (营销达人) reads these sorted by `reach`, never the views.
 */
const spreaderSchema = new Schema(
  {
    _id: { type: String, required: true },
    scope: { type: String, required: true },
    kind: { type: String, enum: ['staff', 'customer'], required: true },
    personId: { type: String, required: true },
    directViews: counter,
    directUniqueVisitors: counter,
    indirectViews: counter,
    indirectUniqueVisitors: counter,
    /** direct + indirect unique visitors: the sort key. */
    reach: counter,
    intents: counter,
    leads: counter,
  },
  { versionKey: false },
);
spreaderSchema.index({ scope: 1, reach: -1 });
spreaderSchema.index({ scope: 1, kind: 1, reach: -1 });
export type SpreaderDoc = InferSchemaType<typeof spreaderSchema> & { _id: string };
export const Spreader = mongoose.model('Spreader', spreaderSchema, 'spreaders');

/** A personal poster's QR code by token (`_id`): reused across requests and processes until near its expiry. */
const posterCodeSchema = new Schema(
  { _id: { type: String, required: true }, ticket: { type: String, required: true }, url: { type: String, required: true }, expiresAt: { type: Date, required: true } },
  { versionKey: false },
);
export const PosterCode = mongoose.model('PosterCode', posterCodeSchema, 'share_poster_codes');
