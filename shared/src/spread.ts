// Share-path tracking (传播路径), spreaders (营销达人), intents → leads (意向 → 线索), campaign effect
// analysis (效果分析) and the JS-SDK configuration of the H5 landing page.
import { z } from 'zod';
import { isoDateTime, objectIdSchema, requiredText, searchQuerySchema, text } from './common.js';
import { mobilePhoneSchema } from './customers.js';
import { pageQuerySchema } from './paging.js';

/** A share token (`s` of every link, `s_<token>` in poster QR scenes): url-safe, unguessable. */
export const shareTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{8,32}$/, '分享标识无效');
/** The random id the landing page keeps in localStorage for an anonymous viewer. */
export const visitorIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, '访客标识无效');

/** Who holds a node of the share tree. */
export const shareNodeKinds = ['contact', 'staff', 'wechat', 'visitor'] as const;
export type ShareNodeKind = (typeof shareNodeKinds)[number];
export const shareNodeKindLabels: Record<ShareNodeKind, string> = {
  contact: '客户联系人',
  staff: '员工',
  wechat: '微信用户',
  visitor: '访客',
};

// ---- landing page (public) ----

export const trackViewSchema = z
  .object({
    campaignId: objectIdSchema,
    /** The token the viewer landed through (absent: opened without one, e.g. a preview or a bookmark). */
    s: shareTokenSchema.optional(),
    visitorId: visitorIdSchema,
  })
  .strict();
export type TrackView = z.infer<typeof trackViewSchema>;

export const landingIntentFormSchema = z.object({ enabled: z.boolean(), products: z.array(z.string()) });
export type LandingIntentForm = z.infer<typeof landingIntentFormSchema>;

export const landingCampaignSchema = z.object({
  id: z.string(),
  name: z.string(),
  title: z.string(),
  author: z.string(),
  coverUrl: z.string().nullable(),
  bodyHtml: z.string(),
  attachments: z.array(z.object({ fileId: z.string(), name: z.string(), url: z.string() })),
  intentForm: landingIntentFormSchema,
});
export type LandingCampaign = z.infer<typeof landingCampaignSchema>;

export const trackViewResultSchema = z.object({
  /** The viewer's own token: it goes into every link they share. */
  shareToken: z.string(),
  campaign: landingCampaignSchema,
});
export type TrackViewResult = z.infer<typeof trackViewResultSchema>;

export const jsConfigQuerySchema = z.object({ url: z.string().trim().url('页面地址无效').max(2000) }).strict();
export const jsConfigSchema = z.object({
  appId: z.string(),
  timestamp: z.number().int(),
  nonceStr: z.string(),
  signature: z.string(),
  jsApiList: z.array(z.string()),
});
export type JsConfig = z.infer<typeof jsConfigSchema>;

export const intentCreateSchema = z
  .object({
    /** The viewer's own token as answered by `POST /track/view` (`shareToken`). */
    s: shareTokenSchema,
    visitorId: visitorIdSchema,
    name: requiredText(50, '姓名'),
    phone: mobilePhoneSchema,
    company: text(100, '公司名称').default(''),
    products: z.array(requiredText(100, '产品')).max(50).default([]),
    note: text(500, '备注').optional(),
  })
  .strict();
export type IntentCreate = z.infer<typeof intentCreateSchema>;
export type IntentCreateInput = z.input<typeof intentCreateSchema>;

// ---- share tree (console) ----

export const shareTreeQuerySchema = z
  .object({
    /** A node's token: answer its children (lazy expansion). Absent: the roots. */
    parent: shareTokenSchema.optional(),
    /** A person's name: the matching nodes and their ancestors. */
    q: searchQuerySchema,
    /** Nodes created in [from, to]. */
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
  })
  .strict();
export type ShareTreeQuery = z.infer<typeof shareTreeQuerySchema>;

const viewCountsSchema = z.object({ views: z.number().int(), uniqueVisitors: z.number().int() });

export const shareTreeNodeSchema = z.object({
  token: z.string(),
  parent: z.string().nullable(),
  /** 0 for a root. */
  depth: z.number().int(),
  name: z.string(),
  kind: z.enum(shareNodeKinds),
  /** Views through this node's own token (its holder's landings excluded). */
  views: z.number().int(),
  /** Children that landed through this node's token. */
  shares: z.number().int(),
  uniqueVisitors: z.number().int(),
  intents: z.number().int(),
  leads: z.number().int(),
  /** This node and everything below it. */
  subtree: viewCountsSchema.extend({ intents: z.number().int(), leads: z.number().int(), nodes: z.number().int() }),
  childCount: z.number().int(),
  createdAt: z.string(),
});
export type ShareTreeNode = z.infer<typeof shareTreeNodeSchema>;

export const shareTreeSchema = z.object({
  stats: z.object({
    nodes: z.number().int(),
    maxDepth: z.number().int(),
    maxFanout: z.number().int(),
    views: z.number().int(),
    uniqueVisitors: z.number().int(),
  }),
  nodes: z.array(shareTreeNodeSchema),
});
export type ShareTree = z.infer<typeof shareTreeSchema>;

// ---- spreaders (营销达人) ----

export const spreaderKinds = ['staff', 'customer'] as const;
export type SpreaderKind = (typeof spreaderKinds)[number];
export const spreaderKindLabels: Record<SpreaderKind, string> = { staff: '员工', customer: '客户' };

export const spreadersQuerySchema = pageQuerySchema
  .extend({ campaignId: objectIdSchema.optional(), kind: z.enum(spreaderKinds).optional() })
  .strict();
export type SpreadersQuery = z.infer<typeof spreadersQuerySchema>;

export const spreaderSchema = z.object({
  rank: z.number().int(),
  kind: z.enum(spreaderKinds),
  /** Staff id, or contact id for a customer. */
  id: z.string(),
  name: z.string(),
  /** Through the person's own token. */
  direct: viewCountsSchema,
  /** Through the tokens of everyone below them. */
  indirect: viewCountsSchema,
  intents: z.number().int(),
  leads: z.number().int(),
});
export type Spreader = z.infer<typeof spreaderSchema>;

// ---- effect analysis (效果分析) ----

export const spreadReportFormats = ['json', 'xlsx'] as const;
export const funnelQuerySchema = z.object({ format: z.enum(spreadReportFormats).default('json') }).strict();

export const funnelSchema = z.object({
  targeted: z.number().int(),
  delivered: z.number().int(),
  /** By stable reason code (`outside-window`, `unsubscribed`, `opted-out`, …). */
  failed: z.record(z.string(), z.number().int()),
  /** Recipients who opened their own link. */
  read: z.number().int(),
  /** People whose token brought at least one other person. */
  shared: z.number().int(),
  uniqueVisitors: z.number().int(),
  intents: z.number().int(),
  leads: z.number().int(),
});
export type Funnel = z.infer<typeof funnelSchema>;

export const campaignReportQuerySchema = z
  .object({ from: isoDateTime.optional(), to: isoDateTime.optional(), format: z.enum(spreadReportFormats).default('json') })
  .strict();
export type CampaignReportQuery = z.infer<typeof campaignReportQuerySchema>;

export const reportChannels = ['mass', 'service', 'staff'] as const;
export type ReportChannel = (typeof reportChannels)[number];
export const reportChannelLabels: Record<ReportChannel, string> = {
  mass: '群发',
  service: '客服消息',
  staff: '全员营销',
};

export const campaignReportSchema = z.object({
  /** Campaigns started in the period, newest first. */
  campaigns: z.array(funnelSchema.extend({ campaignId: z.string(), name: z.string(), startedAt: z.string().nullable(), channels: z.array(z.enum(reportChannels)) })),
  /** Sums over the campaigns that used each channel. */
  channels: z.array(funnelSchema.extend({ channel: z.enum(reportChannels), campaigns: z.number().int() })),
});
export type CampaignReport = z.infer<typeof campaignReportSchema>;
