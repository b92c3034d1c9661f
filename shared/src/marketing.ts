// Micro-marketing (微营销): materials (素材), segments (客户细分), campaigns (营销方案) and what their
// recipients see in 我的方案. Share-path tracking, intents and leads are in spread.ts.
import { z } from 'zod';
import { isoDate, isoDateTime, objectIdSchema, requiredText, searchQuerySchema, text } from './common.js';
import { pageQuerySchema } from './paging.js';

// ---------------------------------------------------------------- materials (素材)

export const materialKinds = ['article', 'poster', 'h5'] as const;
export type MaterialKind = (typeof materialKinds)[number];
export const materialKindLabels: Record<MaterialKind, string> = { article: '图文', poster: '海报', h5: 'H5 页面' };

/** Longest rich body accepted (characters of HTML), before sanitising. */
export const MATERIAL_BODY_MAX = 200_000;

export const materialAttachmentInputSchema = z
  .object({ fileId: objectIdSchema, name: requiredText(100, '附件名称') })
  .strict();

export const materialInputSchema = z
  .object({
    kind: z.enum(materialKinds, { message: '素材类型无效' }),
    title: requiredText(64, '标题'),
    author: text(16, '作者').default(''),
    summary: text(120, '摘要').default(''),
    /** An upload id from `POST /api/v1/uploads` (an image), or null for none. */
    coverFileId: objectIdSchema.nullable().default(null),
    /** Rich HTML; the server keeps only an allow-list of tags and attributes. */
    bodyHtml: z.string().max(MATERIAL_BODY_MAX, '正文过长').default(''),
    attachments: z.array(materialAttachmentInputSchema).max(10, '附件最多 10 个').default([]),
  })
  .strict();
export type MaterialInput = z.infer<typeof materialInputSchema>;

/** PATCH: any subset of the fields; each edit makes a new version. */
export const materialPatchSchema = z
  .object({
    kind: z.enum(materialKinds, { message: '素材类型无效' }).optional(),
    title: requiredText(64, '标题').optional(),
    author: text(16, '作者').optional(),
    summary: text(120, '摘要').optional(),
    coverFileId: objectIdSchema.nullable().optional(),
    bodyHtml: z.string().max(MATERIAL_BODY_MAX, '正文过长').optional(),
    attachments: z.array(materialAttachmentInputSchema).max(10, '附件最多 10 个').optional(),
  })
  .strict();
export type MaterialPatch = z.infer<typeof materialPatchSchema>;

export const materialAttachmentSchema = z.object({ fileId: z.string(), name: z.string(), url: z.string() });
export type MaterialAttachment = z.infer<typeof materialAttachmentSchema>;

export const materialSchema = z.object({
  id: z.string(),
  kind: z.enum(materialKinds),
  title: z.string(),
  author: z.string(),
  summary: z.string(),
  coverFileId: z.string().nullable(),
  /** Signed link to the cover image ('' without a cover). */
  coverUrl: z.string(),
  bodyHtml: z.string(),
  attachments: z.array(materialAttachmentSchema),
  version: z.number().int().min(1),
  /** The WeChat draft of the article (for mass send) and the version it was made from. */
  wechat: z.object({ mediaId: z.string().nullable(), syncedVersion: z.number().int().nullable() }),
  updatedAt: z.string(),
  /** Name of the staff member who saved the current version. */
  updatedBy: z.string(),
});
export type Material = z.infer<typeof materialSchema>;

export const materialVersionSchema = z.object({
  version: z.number().int().min(1),
  kind: z.enum(materialKinds),
  title: z.string(),
  author: z.string(),
  summary: z.string(),
  coverFileId: z.string().nullable(),
  bodyHtml: z.string(),
  attachments: z.array(z.object({ fileId: z.string(), name: z.string() })),
  savedAt: z.string(),
  savedBy: z.string(),
});
export type MaterialVersion = z.infer<typeof materialVersionSchema>;

export const materialListQuerySchema = pageQuerySchema
  .extend({ q: searchQuerySchema, kind: z.enum(materialKinds).optional() })
  .strict();
export type MaterialListQuery = z.infer<typeof materialListQuerySchema>;

/** `POST /materials/:id/preview-link` → a signed 24-hour link to the landing page in preview mode. */
export const materialPreviewLinkSchema = z.object({ url: z.string() });
export const materialPreviewQuerySchema = z.object({ token: z.string().min(1).max(512) }).strict();
/** `GET /materials/preview?token=` (public). */
export const materialPreviewSchema = z.object({
  title: z.string(),
  author: z.string(),
  summary: z.string(),
  coverUrl: z.string(),
  bodyHtml: z.string(),
  attachments: z.array(materialAttachmentSchema),
});
export type MaterialPreview = z.infer<typeof materialPreviewSchema>;

// ---------------------------------------------------------------- segments (客户细分)

const ruleValues = (label: string) => z.array(requiredText(50, label)).max(50, `${label}最多 50 项`);

/** All optional and AND-ed; the values of one array are OR-ed. */
export const segmentRulesSchema = z
  .object({
    tags: ruleValues('标签').optional(),
    regions: ruleValues('地区').optional(),
    industries: ruleValues('行业').optional(),
    grades: ruleValues('客户等级').optional(),
    /** Owns a device of one of these product lines (product archives). */
    productLines: ruleValues('产品线').optional(),
    /** A linked WeChat user who follows the Official Account now ('yes') or none does ('no'). */
    following: z.enum(['yes', 'no']).optional(),
    /** Followed on or after / on or before these days (China time). */
    followedFrom: isoDate.optional(),
    followedTo: isoDate.optional(),
    /** Sent a message or event to the Official Account within these days. */
    interactedWithinDays: z.number().int().min(1).max(3650).optional(),
    /** Campaign history: received it, opened its page, or received it without opening. */
    campaign: z
      .object({ campaignId: objectIdSchema, state: z.enum(['received', 'read', 'not-read']) })
      .strict()
      .optional(),
  })
  .strict()
  .refine((rules) => !rules.followedFrom || !rules.followedTo || rules.followedFrom <= rules.followedTo, {
    message: '关注起始日期不能晚于结束日期',
    path: ['followedTo'],
  });
export type SegmentRules = z.infer<typeof segmentRulesSchema>;

export const segmentInputSchema = z
  .object({ name: requiredText(50, '细分名称'), description: text(200, '说明').default(''), rules: segmentRulesSchema })
  .strict();
export type SegmentInput = z.infer<typeof segmentInputSchema>;
export const segmentPatchSchema = z
  .object({ name: requiredText(50, '细分名称').optional(), description: text(200, '说明').optional(), rules: segmentRulesSchema.optional() })
  .strict();
export type SegmentPatch = z.infer<typeof segmentPatchSchema>;

export const segmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  rules: segmentRulesSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Segment = z.infer<typeof segmentSchema>;

export const segmentListQuerySchema = pageQuerySchema.extend({ q: searchQuerySchema }).strict();
export type SegmentListQuery = z.infer<typeof segmentListQuerySchema>;

export const segmentPreviewInputSchema = z.object({ rules: segmentRulesSchema }).strict();
export const segmentPreviewSchema = z.object({
  /** Contacts matching the rules. */
  count: z.number().int(),
  /** Of those, reachable in WeChat: a linked user who follows. */
  following: z.number().int(),
  /** Followers who can still receive a mass message this calendar month (4 a month). */
  massQuotaLeft: z.number().int(),
  /** Followers inside the 48-hour customer-service window now. */
  inServiceWindow: z.number().int(),
  sample: z
    .array(z.object({ contactId: z.string(), name: z.string(), customerName: z.string(), region: z.string(), following: z.boolean() }))
    .max(10),
});
export type SegmentPreview = z.infer<typeof segmentPreviewSchema>;

// ---------------------------------------------------------------- campaigns (营销方案)

export const campaignChannels = ['mass', 'service', 'staff'] as const;
export type CampaignChannel = (typeof campaignChannels)[number];
export const campaignChannelLabels: Record<CampaignChannel, string> = { mass: '群发', service: '客服消息', staff: '全员营销' };

export const campaignStatuses = ['draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled'] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];
export const campaignStatusLabels: Record<CampaignStatus, string> = {
  draft: '草稿',
  scheduled: '已排期',
  running: '发送中',
  paused: '已暂停',
  completed: '已完成',
  cancelled: '已取消',
};

/** Why a recipient was not sent to (failed or skipped): stable codes. */
export const deliveryReasons = ['outside-window', 'unsubscribed', 'opted-out', 'frequency-cap', 'no-wechat', 'quota', 'unknown', 'error'] as const;
export type DeliveryReason = (typeof deliveryReasons)[number];
export const deliveryReasonLabels: Record<DeliveryReason, string> = {
  'outside-window': '超出 48 小时互动窗口',
  unsubscribed: '已取消关注',
  'opted-out': '已退订',
  'frequency-cap': '超出营销频次上限',
  'no-wechat': '未绑定微信',
  quota: '本月群发次数已用完',
  unknown: '发送结果未知（未重发）',
  error: '发送失败',
};

export const intentFormSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Products the viewer may tick on the intent form. */
    products: z.array(requiredText(50, '产品')).max(30, '产品最多 30 个').default([]),
  })
  .strict();
export type IntentForm = z.infer<typeof intentFormSchema>;

const channelsSchema = z
  .array(z.enum(campaignChannels, { message: '渠道无效' }))
  .min(1, '请至少选择一个渠道')
  .refine((channels) => new Set(channels).size === channels.length, '渠道不能重复');

export const campaignInputSchema = z
  .object({
    name: requiredText(50, '方案名称'),
    materialId: objectIdSchema,
    segmentId: objectIdSchema,
    channels: channelsSchema,
    /** Null: start by hand ("now"); a time: `start` schedules it for then. */
    scheduledAt: isoDateTime.nullable().default(null),
    intentForm: intentFormSchema.default({ enabled: false, products: [] }),
  })
  .strict();
export type CampaignInput = z.infer<typeof campaignInputSchema>;

export const campaignPatchSchema = z
  .object({
    name: requiredText(50, '方案名称').optional(),
    materialId: objectIdSchema.optional(),
    segmentId: objectIdSchema.optional(),
    channels: channelsSchema.optional(),
    scheduledAt: isoDateTime.nullable().optional(),
    intentForm: intentFormSchema.optional(),
  })
  .strict();
export type CampaignPatch = z.infer<typeof campaignPatchSchema>;

export const campaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  materialId: z.string(),
  materialTitle: z.string(),
  segmentId: z.string(),
  segmentName: z.string(),
  channels: z.array(z.enum(campaignChannels)),
  scheduledAt: z.string().nullable(),
  intentForm: z.object({ enabled: z.boolean(), products: z.array(z.string()) }),
  status: z.enum(campaignStatuses),
  /** Why the campaign is paused when the system paused it (e.g. WeChat's API quota), else ''. */
  pauseReason: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignListQuerySchema = pageQuerySchema
  .extend({ q: searchQuerySchema, status: z.enum(campaignStatuses).optional() })
  .strict();
export type CampaignListQuery = z.infer<typeof campaignListQuerySchema>;

export const campaignProgressSchema = z.object({
  status: z.enum(campaignStatuses),
  targeted: z.number().int(),
  sent: z.number().int(),
  failed: z.record(z.string(), z.number().int()),
  skipped: z.record(z.string(), z.number().int()),
  remaining: z.number().int(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** Configured send rate (messages per second). */
  ratePerSecond: z.number(),
});
export type CampaignProgress = z.infer<typeof campaignProgressSchema>;

// ---------------------------------------------------------------- 我的方案 and opt-out

export const myCampaignQuerySchema = pageQuerySchema.extend({ q: searchQuerySchema }).strict();
export type MyCampaignQuery = z.infer<typeof myCampaignQuerySchema>;

export const myCampaignSchema = z.object({
  campaignId: z.string(),
  name: z.string(),
  title: z.string(),
  coverUrl: z.string(),
  summary: z.string(),
  receivedAt: z.string(),
  shareToken: z.string(),
  /** `/h5/#/pages/campaign/index?id=<campaignId>&s=<shareToken>` */
  link: z.string(),
});
export type MyCampaign = z.infer<typeof myCampaignSchema>;

/** The landing page's unsubscribe link: the share token identifies the recipient. */
export const optOutInputSchema = z.object({ token: z.string().trim().min(1).max(128) }).strict();
export type OptOutInput = z.infer<typeof optOutInputSchema>;

/** The landing link of a campaign for a share token. */
export function campaignLandingPath(campaignId: string, shareToken?: string): string {
  const base = `/h5/#/pages/campaign/index?id=${encodeURIComponent(campaignId)}`;
  return shareToken ? `${base}&s=${encodeURIComponent(shareToken)}` : base;
}
