// Leads (线索): statuses, sources, the list query, create/edit input, the lead view, assignment,
// collaborators, and the duplicate check's (撞单) input and answer.
import { z } from 'zod';
import { isoDate, objectIdSchema, requiredText, searchQuerySchema, text } from './common.js';
import { normalizePhone } from './customers.js';
import { duplicateFields } from './duplicates.js';
import { keyPageFields, pageCursorSchema } from './feedback.js';
import { pageQuerySchema, pagedSchema } from './paging.js';
import { shareNodeKinds } from './spread.js';

export const leadStatuses = ['new', 'assigned', 'following', 'converted', 'closed'] as const;
export type LeadStatus = (typeof leadStatuses)[number];
export const leadStatusLabels: Record<LeadStatus, string> = {
  new: '新线索',
  assigned: '已分配',
  following: '跟进中',
  converted: '已转化',
  closed: '已关闭',
};

export const leadSources = ['campaign', 'official-account', 'manual', 'import'] as const;
export type LeadSource = (typeof leadSources)[number];
export const leadSourceLabels: Record<LeadSource, string> = {
  campaign: '营销方案',
  'official-account': '公众号',
  manual: '手工录入',
  import: '导入',
};

export const leadListQuerySchema = pageQuerySchema
  .extend({
    status: z.enum(leadStatuses).optional(),
    source: z.enum(leadSources).optional(),
    campaignId: objectIdSchema.optional(),
    ownerId: objectIdSchema.optional(),
    /** `1`: only the caller's own leads (owner or collaborator). */
    mine: z.enum(['1', 'true', '0', 'false']).optional(),
    /** Created on or after this China calendar day … */
    from: isoDate.optional(),
    /** … and on or before this one. */
    to: isoDate.optional(),
    /** Company (also as the duplicate check reads it), contact, phone (any format, or its last digits), email. */
    q: searchQuerySchema,
    /** Key paging: the `nextCursor` of the previous page (with `page` = its page + 1). */
    cursor: pageCursorSchema.optional(),
  })
  .strict()
  .refine((query) => !query.from || !query.to || query.from <= query.to, { message: '开始日期不能晚于结束日期', path: ['to'] });
export type LeadListQuery = z.infer<typeof leadListQuerySchema>;
/** The filters of the list without paging (the Excel export takes the same). */
export type LeadFilters = Omit<LeadListQuery, 'page' | 'pageSize' | 'cursor'>;

export const leadAssignSchema = z.object({ ownerId: objectIdSchema }).strict();
export type LeadAssign = z.infer<typeof leadAssignSchema>;
/** The most leads one bulk assignment takes. */
export const LEAD_BULK_ASSIGN_MAX = 200;
export const leadBulkAssignSchema = z
  .object({
    ids: z.array(objectIdSchema).min(1, '请选择线索').max(LEAD_BULK_ASSIGN_MAX, `一次最多分配 ${LEAD_BULK_ASSIGN_MAX} 条线索`),
    ownerId: objectIdSchema,
  })
  .strict();
export type LeadBulkAssign = z.infer<typeof leadBulkAssignSchema>;
export const leadBulkAssignResultSchema = z.object({
  /** Leads whose owner changed. */
  changed: z.number().int(),
  /** Leads already held by that owner. */
  unchanged: z.number().int(),
  /** Ids the caller may not see (or that do not exist). */
  notFound: z.array(z.string()),
});
export type LeadBulkAssignResult = z.infer<typeof leadBulkAssignResultSchema>;

export const leadCollaboratorsSchema = z
  .object({ staffIds: z.array(objectIdSchema).max(20, '协作人最多 20 位').refine((ids) => new Set(ids).size === ids.length, '协作人重复') })
  .strict();
export type LeadCollaborators = z.infer<typeof leadCollaboratorsSchema>;

export const leadPatchSchema = z.object({ status: z.enum(leadStatuses, { message: '线索状态无效' }) }).strict();
export type LeadPatch = z.infer<typeof leadPatchSchema>;

// ---- create / edit ----

/** What a lead's phone may be once normalised: a mobile, a landline with or without area code, a 400 number. */
const LEAD_PHONE = /^(?:1[3-9]\d{9}|0\d{9,11}|[2-9]\d{6,7}|400\d{7})$/;

/** A phone in any common Chinese format (`+86 138-0013-8000`, `0571-8888 6666`), stored normalised; '' for none. */
export const leadPhoneSchema = z
  .string()
  .trim()
  .max(30, '电话最多 30 个字符')
  // Digits and the usual separators only; a country code other than China's is no Chinese phone.
  .refine((value) => value === '' || (/^[\d\s\-()（）+]+$/.test(value) && (!value.startsWith('+') || value.startsWith('+86'))), {
    message: '请输入正确的电话（手机或座机）',
    abort: true,
  })
  .transform((value) => normalizePhone(value).replace(/\D/g, ''))
  .refine((value) => value === '' || LEAD_PHONE.test(value), '请输入正确的电话（手机或座机）');

const emailSchema = z
  .string()
  .trim()
  .max(100, '邮箱最多 100 个字符')
  .refine((value) => value === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value), '邮箱格式不正确');

/** The fields a person edits, without defaults (an edit leaves out what it does not change). */
const leadFields = {
  company: text(100, '公司名称'),
  name: requiredText(50, '联系人姓名'),
  phone: leadPhoneSchema,
  email: emailSchema,
  region: text(50, '地区'),
  industry: text(50, '行业'),
  products: z.array(requiredText(100, '意向产品')).max(50, '意向产品最多 50 个'),
  notes: text(1000, '备注'),
};

export const leadInputSchema = z
  .object({
    company: leadFields.company.default(''),
    name: leadFields.name,
    phone: leadFields.phone.default(''),
    email: leadFields.email.default(''),
    region: leadFields.region.default(''),
    industry: leadFields.industry.default(''),
    products: leadFields.products.default([]),
    notes: leadFields.notes.default(''),
    /** The salesperson in charge (a manager or admin choosing); a salesperson's own lead is theirs. */
    ownerId: objectIdSchema.nullable().optional(),
    /** The Official Account follower the lead came from (转为线索 in the conversations page). */
    wechatUserId: z.string().trim().min(1).max(64).optional(),
  })
  .strict();
export type LeadInput = z.infer<typeof leadInputSchema>;
export type LeadInputDraft = z.input<typeof leadInputSchema>;

export const leadUpdateSchema = z
  .object({
    company: leadFields.company.optional(),
    name: leadFields.name.optional(),
    phone: leadFields.phone.optional(),
    email: leadFields.email.optional(),
    region: leadFields.region.optional(),
    industry: leadFields.industry.optional(),
    products: leadFields.products.optional(),
    notes: leadFields.notes.optional(),
    status: z.enum(leadStatuses, { message: '线索状态无效' }).optional(),
  })
  .strict()
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), '没有要修改的内容');
export type LeadUpdate = z.infer<typeof leadUpdateSchema>;

/** `?confirm=1`: save past a warning-mode duplicate conflict. */
export const leadConfirmQuerySchema = z.object({ confirm: z.enum(['1', 'true', '0', 'false']).optional() }).strict();
export type LeadConfirmQuery = z.infer<typeof leadConfirmQuerySchema>;

// ---- the lead view ----

export const sharePathEntrySchema = z.object({ token: z.string(), name: z.string(), kind: z.enum(shareNodeKinds) });
export type SharePathEntry = z.infer<typeof sharePathEntrySchema>;

export const leadCollaboratorSchema = z.object({ id: z.string(), name: z.string() });

export const leadSchema = z.object({
  id: z.string(),
  company: z.string(),
  name: z.string(),
  phone: z.string(),
  email: z.string(),
  region: z.string(),
  industry: z.string(),
  products: z.array(z.string()),
  source: z.enum(leadSources),
  status: z.enum(leadStatuses),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  /** The owner's department (else the creator's): managers of that subtree see the lead. */
  department: z.string(),
  collaborators: z.array(leadCollaboratorSchema),
  createdBy: z.string().nullable(),
  assignedAt: z.string().nullable(),
  assignedBy: z.string().nullable(),
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  shareToken: z.string().nullable(),
  /** Root first, the submitter's own node last. */
  sharePath: z.array(sharePathEntrySchema),
  notes: z.string(),
  wechatUserId: z.string().nullable(),
  closeReason: z.string().nullable(),
  closeNote: z.string(),
  closedAt: z.string().nullable(),
  convertedAt: z.string().nullable(),
  customerId: z.string().nullable(),
  contactId: z.string().nullable(),
  opportunityId: z.string().nullable(),
  lastFollowUpAt: z.string().nullable(),
  nextFollowUpAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Lead = z.infer<typeof leadSchema>;
/** A page of the list: `nextCursor` for the next page by key, `totalCapped` when a broad search was cut. */
export const leadPageSchema = pagedSchema(leadSchema).extend(keyPageFields);
export type LeadPage = z.infer<typeof leadPageSchema>;

// ---- duplicate check (撞单) ----

export const duplicateCheckInputSchema = z
  .object({
    company: text(100, '公司名称').optional(),
    name: text(50, '联系人姓名').optional(),
    phone: leadPhoneSchema.optional(),
    email: text(100, '邮箱').optional(),
    /** The lead being edited: not a duplicate of itself. */
    excludeLeadId: objectIdSchema.optional(),
    excludeCustomerId: objectIdSchema.optional(),
  })
  .strict();
export type DuplicateCheckInput = z.infer<typeof duplicateCheckInputSchema>;

export const duplicateMatchSchema = z.object({
  kind: z.enum(['lead', 'customer']),
  id: z.string(),
  /** Columns not in the settings' `showFields` are '' (or null). */
  company: z.string(),
  name: z.string(),
  /** Masked (`138****8000`) when `masked`. */
  phone: z.string(),
  email: z.string(),
  ownerId: z.string().nullable(),
  /** Shown even when masked: the person to talk to. */
  ownerName: z.string().nullable(),
  /** A lead's status; a customer's `owned` or `pool` (公海). */
  status: z.string(),
  createdAt: z.string().nullable(),
  /** The best field score among the matched rules, 0–1. */
  score: z.number(),
  fields: z.array(z.enum(duplicateFields)),
  /** The viewer may not see this record: contact details are masked. */
  masked: z.boolean(),
});
export type DuplicateMatch = z.infer<typeof duplicateMatchSchema>;

export const duplicateCheckResultSchema = z.object({
  conflict: z.boolean(),
  /** Whether the settings let a conflicting record be saved (warning mode). */
  allowSave: z.boolean(),
  /** Best first. */
  matches: z.array(duplicateMatchSchema),
});
export type DuplicateCheckResult = z.infer<typeof duplicateCheckResultSchema>;

/** `data` of a 409 LEAD_DUPLICATE. */
export const leadDuplicateErrorDataSchema = z.object({ matches: z.array(duplicateMatchSchema), allowSave: z.boolean() });
export type LeadDuplicateErrorData = z.infer<typeof leadDuplicateErrorDataSchema>;

export const leadCreateResultSchema = z.object({ lead: leadSchema, warnings: z.array(duplicateMatchSchema) });
export type LeadCreateResult = z.infer<typeof leadCreateResultSchema>;
