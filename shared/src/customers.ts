// Customers (客户), contacts (联系人) and product archives (产品档案).
import { z } from 'zod';
import { isoDate, objectIdSchema, phoneSchema, requiredText, searchQuerySchema, text } from './common.js';
import { departmentRefSchema } from './org.js';
import { pageQuerySchema } from './paging.js';

/**
 * A mobile number as people type it → the 11 digits we store and compare: spaces, dashes, dots and
 * brackets are dropped, and a leading +86 / 0086 / 86 country code is removed. Anything else is
 * left for the validator to refuse.
 */
export function normalizePhone(value: string): string {
  const compact = value.trim().replace(/[\s\-().]/g, '');
  const national = /^(?:\+86|0086|86)(1\d{10})$/.exec(compact);
  return national ? national[1]! : compact;
}

/** A mainland mobile number, normalised first (`138 0013 8000`, `+86 138-0013-8000` → `13800138000`). */
export const mobilePhoneSchema = z.string().transform(normalizePhone).pipe(phoneSchema);

export const customerInputSchema = z
  .object({
    /** 客户编码; generated (KH000001) when left empty. */
    code: text(32, '客户编码').regex(/^[A-Za-z0-9_-]*$/, '客户编码只能包含字母、数字、下划线和短横线').default(''),
    name: requiredText(100, '客户名称'),
    region: requiredText(50, '所在地区'),
    industry: text(50, '行业').default(''),
    grade: text(20, '客户等级').default(''),
    address: text(200, '地址').default(''),
    phone: text(30, '电话').default(''),
    /** Department in charge (its id): decides who sees the customer, its contacts, devices and requests. */
    department: departmentRefSchema,
    /**
     * 专管业务员 on create (managers and admin; a salesperson always owns what they create, '' or
     * absent: the pool). Ignored on edit: ownership changes through claim / release / transfer.
     */
    ownerId: z.union([objectIdSchema, z.literal('')]).optional(),
  })
  .strict();
export type CustomerInput = z.infer<typeof customerInputSchema>;

export const customerSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  region: z.string(),
  industry: z.string(),
  grade: z.string(),
  address: z.string(),
  phone: z.string(),
  /** The department's id ('' for none) and its name for display. */
  department: z.string(),
  departmentName: z.string(),
  contactCount: z.number().int(),
  productCount: z.number().int(),
  createdAt: z.string(),
  // ---- ownership (客户公海) ----
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  ownerSince: z.string().nullable(),
  /** No owner: in the public pool (公海). */
  inPool: z.boolean(),
  locked: z.boolean(),
  lastFollowUpAt: z.string().nullable(),
  lastDealAt: z.string().nullable(),
  collaboratorIds: z.array(z.string()),
});
export type Customer = z.infer<typeof customerSchema>;

const queryFlag = z.enum(['1', '0', 'true', 'false']).transform((value) => value === '1' || value === 'true');

export const customerListQuerySchema = pageQuerySchema
  .extend({
    q: searchQuerySchema,
    region: z.string().trim().max(50).optional(),
    /** 我的客户: owned by the caller. */
    mine: queryFlag.optional(),
    ownerId: objectIdSchema.optional(),
    /** In the pool (managers and admin; sales see the pool through /pool). */
    inPool: queryFlag.optional(),
  })
  .strict();
export type CustomerListQuery = z.infer<typeof customerListQuerySchema>;

export const contactInputSchema = z
  .object({
    customerId: objectIdSchema,
    name: requiredText(50, '联系人姓名'),
    phone: mobilePhoneSchema,
    title: text(50, '职务').default(''),
    /** Marketing tags (客户细分 rules match on them); left as they are when omitted. */
    tags: z.array(requiredText(20, '标签')).max(20, '标签最多 20 个').optional(),
  })
  .strict();
export type ContactInput = z.infer<typeof contactInputSchema>;

export const contactSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  name: z.string(),
  phone: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  /** Bound WeChat users (verified followers) of this contact. */
  wechatBound: z.boolean(),
});
export type Contact = z.infer<typeof contactSchema>;

export const contactListQuerySchema = pageQuerySchema.extend({ q: searchQuerySchema, customerId: objectIdSchema.optional() }).strict();
export type ContactListQuery = z.infer<typeof contactListQuerySchema>;

export const warrantyStates = ['in_warranty', 'expiring', 'expired'] as const;
export type WarrantyState = (typeof warrantyStates)[number];
export const warrantyStateLabels: Record<WarrantyState, string> = { in_warranty: '保修期内', expiring: '即将到期', expired: '已过保' };
/** Days before warranty end that count as "expiring" and trigger the reminder. */
export const WARRANTY_REMINDER_DAYS = 30;

/** Pure rule shared by server and apps: the warranty state of an archive on a given day. */
export function warrantyState(warrantyEndsAt: Date | string, now: Date = new Date()): WarrantyState {
  const end = new Date(warrantyEndsAt).getTime();
  if (end < now.getTime()) return 'expired';
  return end - now.getTime() <= WARRANTY_REMINDER_DAYS * 24 * 3600_000 ? 'expiring' : 'in_warranty';
}

export const productArchiveInputSchema = z
  .object({
    serialNumber: requiredText(64, '序列号').regex(/^[A-Za-z0-9_.\/-]+$/, '序列号只能包含字母、数字和 _ . / -'),
    model: requiredText(64, '型号'),
    /** 产品线, e.g. 空调 / 热水器: engineers are matched on it. */
    productLine: requiredText(50, '产品线'),
    customerId: objectIdSchema,
    installedAt: isoDate,
    warrantyEndsAt: isoDate,
    address: text(200, '安装地址').default(''),
  })
  .strict()
  .refine((value) => value.warrantyEndsAt >= value.installedAt, { message: '保修到期日不能早于安装日期', path: ['warrantyEndsAt'] });
export type ProductArchiveInput = z.infer<typeof productArchiveInputSchema>;

export const productArchiveSchema = z.object({
  id: z.string(),
  serialNumber: z.string(),
  model: z.string(),
  productLine: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  installedAt: z.string(),
  warrantyEndsAt: z.string(),
  warrantyState: z.enum(warrantyStates),
  address: z.string(),
});
export type ProductArchive = z.infer<typeof productArchiveSchema>;

export const productListQuerySchema = pageQuerySchema
  .extend({ q: searchQuerySchema, customerId: objectIdSchema.optional(), warrantyState: z.enum(warrantyStates).optional() })
  .strict();
export type ProductListQuery = z.infer<typeof productListQuerySchema>;
