// Customer 360 (客户360视图): `GET /customers/:id` — the customer record of the list (every field
// of `customerSchema`, so earlier callers keep working) plus everything around it, section by
// section. Each section holds the latest items (at most CUSTOMER360_SECTION_LIMIT) and the total,
// so a customer with 10,000 service requests answers as fast as one with 10. A section the viewer
// may not see (a dispatcher: the sales sections) is null.
import { z } from 'zod';
import { customerSchema, warrantyStates } from './customers.js';
import { followRecordSchema } from './follow-records.js';
import { ownershipEventSchema } from './pool.js';

export const CUSTOMER360_SECTION_LIMIT = 20;

const section = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), total: z.number().int().min(0) });

export const customer360WeChatSchema = z.object({
  wechatUserId: z.string(),
  /** Known on the Official Account (公众号) / in the mini-program (小程序). */
  officialAccount: z.boolean(),
  miniProgram: z.boolean(),
  /** Follows the Official Account now (关注). */
  following: z.boolean(),
  subscribedAt: z.string().nullable(),
  unsubscribedAt: z.string().nullable(),
  /** The last message or event from them (the 48-hour window opens on it). */
  lastInteractionAt: z.string().nullable(),
});
export type Customer360WeChat = z.infer<typeof customer360WeChatSchema>;

export const customer360ContactSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Masked (`138****8000`) when the viewer may only look (a pool customer). */
  phone: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  /** Verified (身份验证): some WeChat user proved to be this contact. */
  verified: z.boolean(),
  wechat: z.array(customer360WeChatSchema),
});

export const customer360DeviceSchema = z.object({
  id: z.string(),
  serialNumber: z.string(),
  model: z.string(),
  productLine: z.string(),
  installedAt: z.string(),
  warrantyEndsAt: z.string(),
  warrantyState: z.enum(warrantyStates),
  address: z.string(),
});

export const customer360RequestSchema = z.object({
  id: z.string(),
  number: z.string(),
  type: z.string(),
  status: z.string(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
  /** The average of the three scores (1–5, one decimal), null when not rated. */
  rating: z.number().nullable(),
});

export const customer360LeadSchema = z.object({
  id: z.string(),
  company: z.string(),
  name: z.string(),
  phone: z.string(),
  source: z.string(),
  status: z.string(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  /** Who passed the campaign on, root first (传播路径). */
  sharePath: z.array(z.object({ name: z.string(), kind: z.string() })),
  createdAt: z.string(),
  convertedAt: z.string().nullable(),
  /** The lead the customer was converted from (线索转化). */
  convertedFrom: z.boolean(),
});

export const customer360OpportunitySchema = z.object({
  id: z.string(),
  name: z.string(),
  stage: z.enum(['open', 'won', 'lost']),
  /** Integer 分. */
  amount: z.number().int(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  expectedCloseAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const customer360CampaignReceivedSchema = z.object({
  campaignId: z.string(),
  campaignName: z.string(),
  contactId: z.string(),
  contactName: z.string(),
  /** sending / sent / failed / skipped. */
  state: z.string(),
  channel: z.string().nullable(),
  at: z.string(),
});

export const customer360CampaignSharedSchema = z.object({
  campaignId: z.string(),
  campaignName: z.string(),
  contactId: z.string(),
  contactName: z.string(),
  /** People who first landed through this contact's link. */
  shares: z.number().int(),
  /** Views through the link, and the new visitors among them; the whole tree below included. */
  views: z.number().int(),
  uniqueVisitors: z.number().int(),
  subtreeViews: z.number().int(),
  leads: z.number().int(),
});

export const customer360Schema = customerSchema.extend({
  // ---- the header: who owns it, or the pool (公海); the same fields as the customer list's ----
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  ownerSince: z.string().nullable(),
  /** No owner: in the public pool (公海). */
  inPool: z.boolean(),
  locked: z.boolean(),
  lastFollowUpAt: z.string().nullable(),
  lastDealAt: z.string().nullable(),
  collaboratorIds: z.array(z.string()),
  /** The collaborators with their names. */
  collaborators: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Where it came from (kept from the lead it was converted from). */
  origin: z.object({
    source: z.string(),
    leadId: z.string().nullable(),
    campaignId: z.string().nullable(),
    campaignName: z.string().nullable(),
    sharePath: z.array(z.object({ name: z.string(), kind: z.string() })),
  }),
  /** The viewer may only look (a salesperson opening a pool customer): phones are masked, nothing can be written. */
  readOnly: z.boolean(),
  contacts: section(customer360ContactSchema),
  devices: section(customer360DeviceSchema),
  requests: section(customer360RequestSchema).extend({
    /** Average of the three scores (1–5) of the rated requests among the latest 100, null when none is rated. */
    ratingAverage: z.number().nullable(),
    ratedCount: z.number().int(),
  }),
  leads: section(customer360LeadSchema).nullable(),
  opportunities: section(customer360OpportunitySchema).nullable(),
  campaignsReceived: section(customer360CampaignReceivedSchema).nullable(),
  campaignsShared: section(customer360CampaignSharedSchema).nullable(),
  followRecords: section(followRecordSchema).nullable(),
  /** Ownership history (客户归属记录), newest first. */
  ownership: section(ownershipEventSchema).nullable(),
});
export type Customer360 = z.infer<typeof customer360Schema>;
