import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const pathEntrySchema = new Schema(
  {
    token: { type: String, required: true },
    kind: { type: String, enum: ['contact', 'staff', 'wechat', 'visitor'], required: true },
    ownerId: { type: String, required: true },
    /** The name when the lead was made (a later rename does not rewrite history). */
    name: { type: String, required: true },
  },
  { _id: false },
);

/**
 * 线索: someone interested in products — from a campaign's intent form (with the campaign and the
 * whole share path credited), the Official Account, a person or an import. The sales work of
 * issue 10 extends it.
 */
const leadSchema = new Schema(
  {
    company: { type: String, default: '' },
    name: { type: String, required: true },
    phone: { type: String, default: '' },
    email: { type: String, default: '' },
    region: { type: String, default: '' },
    industry: { type: String, default: '' },
    products: { type: [String], default: [] },
    source: { type: String, enum: ['campaign', 'official-account', 'manual', 'import'], required: true },
    status: { type: String, enum: ['new', 'assigned', 'following', 'converted', 'closed'], default: 'new' },
    /** The salesperson (staff id) in charge, or null. */
    ownerId: { type: String, default: null },
    /** The department the lead belongs to (the owner's, else its creator's): managers see their subtree. */
    department: { type: String, default: '' },
    /** Colleagues the lead is shared with (协作分配): they see and work it like the owner. */
    collaboratorIds: { type: [String], default: [] },
    /** The last (re)assignment: when and by whom (staff id). */
    assignedAt: { type: Date, default: null },
    assignedBy: { type: String, default: null },
    /** Who created it by hand or import (staff id); null for campaign and Official Account leads. */
    createdBy: { type: String, default: null },
    /** 关闭: why (a fixed reason key from shared/, plus a note). */
    closeReason: { type: String, default: null },
    closeNote: { type: String, default: '' },
    closedAt: { type: Date, default: null },
    /** 线索转化: what the conversion made or attached to. */
    convertedAt: { type: Date, default: null },
    customerId: { type: String, default: null },
    contactId: { type: String, default: null },
    opportunityId: { type: String, default: null },
    /** The WeChat user (wechat_users id) of an Official Account lead: the conversation it came from. */
    wechatUserId: { type: String, default: null },
    lastFollowUpAt: { type: Date, default: null },
    /** The next follow-up date of the latest follow-up record (the workbench's due list). */
    nextFollowUpAt: { type: Date, default: null },
    /** The import that created it, if any. */
    importId: { type: String, default: null },
    /** Duplicate-check keys (撞单): normalised phone, company core name … (leads/duplicate.service.ts). */
    dupKeys: { type: [String], default: [] },
    campaignId: { type: String, default: null },
    campaignName: { type: String, default: null },
    /** The submitter's own share token; `sharePath` is its path from the root, root first. */
    shareToken: { type: String, default: null },
    sharePath: { type: [pathEntrySchema], default: [] },
    notes: { type: String, default: '' },
    /** Intents submitted for this lead (a second one from the same person updates the lead). */
    intents: { type: Number, default: 1 },
    lastIntentAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
// The console's list: newest first, by status / owner / campaign / source.
leadSchema.index({ createdAt: -1 });
leadSchema.index({ status: 1, createdAt: -1 });
leadSchema.index({ ownerId: 1, createdAt: -1 });
// A salesperson's (or a department's) leads of one status, newest first: the lists' status filter.
leadSchema.index({ ownerId: 1, status: 1, createdAt: -1 });
leadSchema.index({ department: 1, status: 1, createdAt: -1 });
leadSchema.index({ campaignId: 1, createdAt: -1 });
leadSchema.index({ source: 1, createdAt: -1 });
leadSchema.index({ department: 1, createdAt: -1 });
leadSchema.index({ dupKeys: 1 });
// A customer's leads (the customer 360 view: converted into or attached to it).
leadSchema.index({ customerId: 1, createdAt: -1 });
// The leads made from an Official Account conversation (公众号消息).
leadSchema.index({ wechatUserId: 1, createdAt: -1 });
// Leads written since a time: the report day rollups' catch-up (lead-days.ts).
leadSchema.index({ updatedAt: 1 });

export type LeadDoc = InferSchemaType<typeof leadSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date; updatedAt: Date };
export const Lead = mongoose.model('Lead', leadSchema, 'leads');

/**
 * `<campaignId>:<viewer kind>:<viewer id>` → the lead of that person's intents in that campaign,
 * claimed by insert: of two simultaneous first intents one creates the lead, the other updates it.
 */
const leadKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    leadId: { type: String, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);
export const LeadKey = mongoose.model('LeadKey', leadKeySchema, 'lead_keys');
