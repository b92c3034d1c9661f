// Import of historical customers, contacts and devices from the Excel template (导入).
import { z } from 'zod';
import { keyPageFields, pageCursorSchema } from './feedback.js';
import { pagedSchema, pageQuerySchema } from './paging.js';

export const importStatuses = ['queued', 'validating', 'importing', 'done', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];
export const importStatusLabels: Record<ImportStatus, string> = {
  queued: '排队中',
  validating: '校验中',
  importing: '导入中',
  done: '已完成',
  failed: '失败',
};

/** Limits of one upload: bigger files are refused before any work starts. */
export const IMPORT_LIMITS = { maxBytes: 10 * 1024 * 1024, maxRows: 20_000 } as const;

/** The template's sheet and columns, in order; `*` marks a required column. */
export const IMPORT_SHEET = '客户';
export const importColumns = [
  { key: 'name', header: '客户名称*' },
  { key: 'code', header: '客户编码' },
  { key: 'region', header: '所在地区*' },
  { key: 'industry', header: '行业' },
  { key: 'grade', header: '客户等级' },
  { key: 'address', header: '地址' },
  { key: 'phone', header: '电话' },
  { key: 'owner', header: '专管业务员(用户名)' },
  { key: 'contactName', header: '联系人姓名' },
  { key: 'contactPhone', header: '联系人手机' },
  { key: 'contactTitle', header: '联系人职务' },
  { key: 'model', header: '产品型号' },
  { key: 'productLine', header: '产品线' },
  { key: 'serialNumber', header: '序列号' },
  { key: 'installedAt', header: '安装日期' },
  { key: 'warrantyEndsAt', header: '保修到期' },
  { key: 'deviceAddress', header: '安装地址' },
] as const;
export type ImportColumnKey = (typeof importColumns)[number]['key'];
/** One data row as read from the sheet: every cell as trimmed text ('' when empty). */
export type ImportRowValues = Record<ImportColumnKey, string>;

export const importCountsSchema = z.object({
  /** Customers created. */
  customers: z.number().int(),
  /** Existing customers the file's contacts and devices were added to (by code or the duplicate check). */
  attachedCustomers: z.number().int(),
  /** Contacts and devices written, to new and existing customers alike. */
  contacts: z.number().int(),
  devices: z.number().int(),
  rejectedRows: z.number().int(),
});
export type ImportCounts = z.infer<typeof importCountsSchema>;

export const importRejectionSchema = z.object({
  /** The row number as Excel shows it. */
  row: z.number().int(),
  customerName: z.string(),
  reasons: z.array(z.string()),
});
export type ImportRejection = z.infer<typeof importRejectionSchema>;

export const importSummarySchema = z.object({
  id: z.string(),
  fileName: z.string(),
  status: z.enum(importStatuses),
  /** Data rows in the file, and rows settled so far (imported or rejected). */
  totalRows: z.number().int(),
  doneRows: z.number().int(),
  counts: importCountsSchema,
  /** Why the file failed as a whole (status failed). */
  error: z.string(),
  createdBy: z.string(),
  createdByName: z.string(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

/** Rejected rows shown in the detail at most; the error report (xlsx) has them all. */
export const IMPORT_REJECTIONS_SHOWN = 500;

/** A customer group of the file added to an existing customer (its own fields left as they were). */
export const importAttachmentSchema = z.object({
  /** The group's first row, as Excel shows it, and all its rows. */
  row: z.number().int(),
  rows: z.array(z.number().int()),
  /** The customer name as written in the file. */
  customerName: z.string(),
  customerId: z.string(),
  /** 已追加到现有客户 KH000012 宁波海豚电器有限公司（客户资料不变） */
  message: z.string(),
  contacts: z.number().int(),
  devices: z.number().int(),
});
export type ImportAttachment = z.infer<typeof importAttachmentSchema>;

export const importDetailSchema = importSummarySchema.extend({
  rejections: z.array(importRejectionSchema),
  /** More rejected rows than shown: download the report. */
  rejectionsTruncated: z.boolean(),
  /** Groups added to existing customers (at most IMPORT_REJECTIONS_SHOWN; the report has them all). */
  attachments: z.array(importAttachmentSchema),
  attachmentsTruncated: z.boolean(),
});
export type ImportDetail = z.infer<typeof importDetailSchema>;

/** `cursor`: the previous page's `nextCursor` (key paging, newest first); `page` is then only shown. */
export const importListQuerySchema = pageQuerySchema.extend({ mine: z.enum(['0', '1']).optional(), cursor: pageCursorSchema.optional() }).strict();
export type ImportListQuery = z.infer<typeof importListQuerySchema>;

/** A page of 导入记录, with where the next one starts. */
export const importPageSchema = pagedSchema(importSummarySchema).extend(keyPageFields);
export type ImportPage = z.infer<typeof importPageSchema>;
