import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** 客户: a company or household served by the business. */
const customerSchema = new Schema(
  {
    code: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    region: { type: String, required: true },
    industry: { type: String, default: '' },
    grade: { type: String, default: '' },
    address: { type: String, default: '' },
    phone: { type: String, default: '' },
    /** Service department in charge: dispatchers of this department see its requests. */
    department: { type: String, default: '' },

    // ---- ownership (客户公海): an owner (专管业务员) or none, i.e. in the pool ----
    /** The salesperson (staff id) who owns the customer; null: in the public pool (公海). */
    ownerId: { type: String, default: null },
    /** Since when the current owner holds it (the pool clock's start for an owned customer). */
    ownerSince: { type: Date, default: null },
    /** Colleagues the customer is shared with (协作): they see it like the owner. */
    collaboratorIds: { type: [String], default: [] },
    /** The last follow-up record (跟进记录) or deal: both reset the pool clock. */
    lastFollowUpAt: { type: Date, default: null },
    lastDealAt: { type: Date, default: null },
    /** Locked customers (锁定) never return to the pool; won ones (成交) are exempt too. */
    locked: { type: Boolean, default: false },
    /** When the owner was last warned that the customer returns to the pool (one warning per clock). */
    poolReminderAt: { type: Date, default: null },
    /**
     * Counts the customer's entries into the pool: a claim is decided by inserting the claim
     * `pool-claim:<customerId>:<poolGeneration>` (one winner), so each stay in the pool has its own.
     */
    poolGeneration: { type: Number, default: 0 },
    /** When it last entered the pool, and who owned it before (the pool list shows both). */
    poolEnteredAt: { type: Date, default: null },
    lastOwnerId: { type: String, default: null },

    // ---- origin: where the customer came from, kept from the lead it was converted from ----
    source: { type: String, enum: ['manual', 'campaign', 'official-account', 'import', 'lead'], default: 'manual' },
    leadId: { type: String, default: null },
    campaignId: { type: String, default: null },
    campaignName: { type: String, default: null },
    /** The lead's share path (root first), as on the lead: who spread the campaign to this customer. */
    sharePath: {
      type: [new Schema({ token: String, kind: String, ownerId: String, name: String }, { _id: false })],
      default: [],
    },
    /** The import that created it, if any (imports roll back by this id). */
    importId: { type: String, default: null },
    /** Duplicate-check keys (撞单): normalised phone, company core name … (leads/duplicate.service.ts). */
    dupKeys: { type: [String], default: [] },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
// Customer list: department scope and region, newest first.
customerSchema.index({ department: 1, createdAt: -1 });
customerSchema.index({ region: 1, createdAt: -1 });
customerSchema.index({ createdAt: -1 });
// Owner's list, the pool (ownerId null), the daily return sweep, duplicate candidates.
customerSchema.index({ ownerId: 1, createdAt: -1 });
customerSchema.index({ dupKeys: 1 });
// Workbench: customers about to return to the pool (a reminder sent), per department and company-wide.
customerSchema.index({ department: 1, poolReminderAt: 1 });
customerSchema.index({ poolReminderAt: 1 });
// Customer statistics: the day rollups' catch-up reads the customers written since a watermark.
customerSchema.index({ updatedAt: 1 });

export type CustomerDoc = InferSchemaType<typeof customerSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date };
export const Customer = mongoose.model('Customer', customerSchema, 'customers');
