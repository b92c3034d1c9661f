// Lead conversion (线索转化), closing a lead (关闭) and opportunities (商机).
import { z } from 'zod';
import { isoDate, objectIdSchema, requiredText, searchQuerySchema, text } from './common.js';
import { mobilePhoneSchema } from './customers.js';
import { keyPageFields, pageCursorSchema } from './feedback.js';
import { pageQuerySchema, pagedSchema } from './paging.js';
import { leadSchema } from './leads.js';

// ---- opportunities (商机) ----

export const opportunityStages = ['open', 'won', 'lost'] as const;
export type OpportunityStage = (typeof opportunityStages)[number];
export const opportunityStageLabels: Record<OpportunityStage, string> = { open: '跟进中', won: '赢单', lost: '输单' };

/** Where an opportunity came from: its lead's source, or 'manual'. */
export const opportunitySources = ['campaign', 'official-account', 'manual', 'import'] as const;
export type OpportunitySource = (typeof opportunitySources)[number];

/** Amounts travel and are stored as integer 分; the console shows and takes 元. Up to 100 亿元. */
export const MAX_AMOUNT_FEN = 1_000_000_000_000;
export const amountFenSchema = z.number({ message: '请填写金额' }).int('金额最小单位为分').min(0, '金额不能为负').max(MAX_AMOUNT_FEN, '金额过大');
/** 元 (as typed, up to 2 decimals) → 分. */
export const yuanToFen = (yuan: number): number => Math.round(yuan * 100);
/** 分 → 元 for display and forms. */
export const fenToYuan = (fen: number): number => fen / 100;

export const opportunitySchema = z.object({
  id: z.string(),
  name: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  contactId: z.string().nullable(),
  leadId: z.string().nullable(),
  ownerId: z.string(),
  ownerName: z.string().nullable(),
  department: z.string(),
  stage: z.enum(opportunityStages),
  /** 分. */
  amount: z.number().int(),
  /** YYYY-MM-DD (China calendar day) or null. */
  expectedCloseAt: z.string().nullable(),
  source: z.string(),
  campaignId: z.string().nullable(),
  closedAt: z.string().nullable(),
  lostReason: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Opportunity = z.infer<typeof opportunitySchema>;
/** A page of the list: `nextCursor` for the next page by key, `totalCapped` when a broad search was cut. */
export const opportunityPageSchema = pagedSchema(opportunitySchema).extend(keyPageFields);
export type OpportunityPage = z.infer<typeof opportunityPageSchema>;

/** The opportunity part of a conversion (optional there) and of a new opportunity. */
export const opportunityInputSchema = z
  .object({
    name: requiredText(100, '商机名称'),
    amount: amountFenSchema.default(0),
    expectedCloseAt: isoDate.nullable().default(null),
  })
  .strict();
export type OpportunityInput = z.infer<typeof opportunityInputSchema>;
export type OpportunityInputRaw = z.input<typeof opportunityInputSchema>;

export const opportunityPatchSchema = z
  .object({
    name: requiredText(100, '商机名称').optional(),
    amount: amountFenSchema.optional(),
    expectedCloseAt: isoDate.nullable().optional(),
  })
  .strict();
export type OpportunityPatch = z.infer<typeof opportunityPatchSchema>;

/**
 * 新建商机 by hand: on a customer the caller may see; the owner defaults to the caller (admin: the
 * customer's owner). Closed at creation (won / lost) only with the stage's fields.
 */
export const opportunityCreateSchema = z
  .object({
    customerId: objectIdSchema,
    name: requiredText(100, '商机名称'),
    amount: amountFenSchema.default(0),
    expectedCloseAt: isoDate.nullable().default(null),
    stage: z.enum(opportunityStages, { message: '商机阶段无效' }).default('open'),
    ownerId: objectIdSchema.optional(),
    lostReason: text(200, '输单原因').default(''),
  })
  .strict()
  .refine((value) => value.stage !== 'lost' || value.lostReason.length > 0, { message: '输单请填写原因', path: ['lostReason'] });
export type OpportunityCreate = z.infer<typeof opportunityCreateSchema>;
export type OpportunityCreateInput = z.input<typeof opportunityCreateSchema>;

export const opportunityLostSchema = z.object({ reason: requiredText(200, '输单原因') }).strict();
export type OpportunityLost = z.infer<typeof opportunityLostSchema>;

export const opportunityListQuerySchema = pageQuerySchema
  .extend({
    stage: z.enum(opportunityStages).optional(),
    ownerId: objectIdSchema.optional(),
    customerId: objectIdSchema.optional(),
    /** `1`: only the caller's own. */
    mine: z.enum(['0', '1', 'true', 'false']).optional(),
    /** Name of the opportunity or of its customer. */
    q: searchQuerySchema,
    /** Key paging: the `nextCursor` of the previous page (with `page` = its page + 1). */
    cursor: pageCursorSchema.optional(),
  })
  .strict();
export type OpportunityListQuery = z.infer<typeof opportunityListQuerySchema>;

// ---- closing a lead (关闭线索) ----

export const leadCloseReasons = ['invalid', 'duplicate', 'no-need', 'competitor', 'unreachable', 'other'] as const;
export type LeadCloseReason = (typeof leadCloseReasons)[number];
export const leadCloseReasonLabels: Record<LeadCloseReason, string> = {
  invalid: '无效线索',
  duplicate: '重复线索',
  'no-need': '暂无需求',
  competitor: '选择竞品',
  unreachable: '无法联系',
  other: '其他',
};

export const leadCloseSchema = z
  .object({
    reason: z.enum(leadCloseReasons, { message: '请选择关闭原因' }),
    note: text(500, '说明').default(''),
  })
  .strict()
  .refine((value) => value.reason !== 'other' || value.note.length > 0, { message: '选择“其他”时请填写说明', path: ['note'] });
export type LeadClose = z.infer<typeof leadCloseSchema>;
export type LeadCloseInput = z.input<typeof leadCloseSchema>;

// ---- converting a lead (线索转化) ----

/** A new customer made by the conversion: its code is generated, its department is the owner's. */
export const convertCustomerSchema = z
  .object({
    name: requiredText(100, '客户名称'),
    region: requiredText(50, '所在地区'),
    industry: text(50, '行业').default(''),
    grade: text(20, '客户等级').default(''),
    address: text(200, '地址').default(''),
    phone: text(30, '电话').default(''),
  })
  .strict();
export type ConvertCustomer = z.infer<typeof convertCustomerSchema>;

export const convertContactSchema = z
  .object({
    name: requiredText(50, '联系人姓名'),
    phone: mobilePhoneSchema,
    title: text(50, '职务').default(''),
  })
  .strict();
export type ConvertContact = z.infer<typeof convertContactSchema>;

/**
 * `customerId` attaches the lead to an existing customer (e.g. one the duplicate check found);
 * else `customer` describes the new one. Exactly one of the two.
 */
export const leadConvertSchema = z
  .object({
    customerId: objectIdSchema.optional(),
    customer: convertCustomerSchema.optional(),
    contact: convertContactSchema,
    opportunity: opportunityInputSchema.optional(),
  })
  .strict()
  .refine((value) => (value.customerId === undefined) !== (value.customer === undefined), {
    message: '请选择关联已有客户，或填写新客户信息（二选一）',
    path: ['customer'],
  });
export type LeadConvert = z.infer<typeof leadConvertSchema>;
export type LeadConvertInput = z.input<typeof leadConvertSchema>;

export const leadConvertResultSchema = z.object({
  lead: leadSchema,
  customerId: z.string(),
  contactId: z.string(),
  opportunityId: z.string().nullable(),
  /** True when the lead was attached to an existing customer. */
  attached: z.boolean(),
});
export type LeadConvertResult = z.infer<typeof leadConvertResultSchema>;
