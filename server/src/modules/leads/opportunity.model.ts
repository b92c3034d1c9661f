import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { setSearchKeys, suffixKeys } from '../../lib/search.js';

/**
 * 商机: a possible deal with a customer, usually made when a lead is converted (线索转化). Amounts
 * are integer 分 (FerretDB has no Decimal128). The `_id` of one made by a conversion is derived from
 * the lead id (convert.service.ts), so a retried conversion never makes a second one.
 */
const opportunitySchema = new Schema(
  {
    name: { type: String, required: true },
    /** The customer (customers id, hex string). */
    customerId: { type: String, required: true },
    contactId: { type: String, default: null },
    /** The lead it was converted from; null for one made by hand. */
    leadId: { type: String, default: null },
    /** The salesperson in charge (staff id). */
    ownerId: { type: String, required: true },
    /** The owner's department: managers see their subtree. */
    department: { type: String, default: '' },
    stage: { type: String, enum: ['open', 'won', 'lost'], default: 'open' },
    /** Expected amount in 分 (integer). */
    amount: { type: Number, default: 0 },
    expectedCloseAt: { type: Date, default: null },
    /** The lead's source ('campaign', 'official-account', 'manual', 'import') or 'manual'. */
    source: { type: String, default: 'manual' },
    campaignId: { type: String, default: null },
    /** When it was won or lost. */
    closedAt: { type: Date, default: null },
    lostReason: { type: String, default: '' },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
// Lists: newest first by owner / department / stage; a customer's and a lead's opportunities.
opportunitySchema.index({ createdAt: -1 });
opportunitySchema.index({ ownerId: 1, createdAt: -1 });
opportunitySchema.index({ department: 1, createdAt: -1 });
opportunitySchema.index({ stage: 1, createdAt: -1 });
opportunitySchema.index({ customerId: 1, createdAt: -1 });
opportunitySchema.index({ leadId: 1 });
// Reports: won in a period; written since a time (the lead day rollups' catch-up).
opportunitySchema.index({ stage: 1, closedAt: 1 });
opportunitySchema.index({ updatedAt: 1 });

/** Search keys (lib/search.ts): the name, "contains". leads/lead.search.ts looks them up. */
export const opportunitySearchKeys = (doc: { name?: string | null }): string[] => suffixKeys('on', doc.name ?? '');

// Every opportunity created (a conversion, by hand) gets its keys, whoever creates it; a rename
// goes through the service, which refreshes them.
opportunitySchema.post('save', async function (doc: { _id: unknown; name?: string | null }) {
  await setSearchKeys({ ref: String(doc._id), keys: opportunitySearchKeys(doc) });
});

export type OpportunityDoc = InferSchemaType<typeof opportunitySchema> & { _id: mongoose.Types.ObjectId; createdAt: Date; updatedAt: Date };
export const Opportunity = mongoose.model('Opportunity', opportunitySchema, 'opportunities');
