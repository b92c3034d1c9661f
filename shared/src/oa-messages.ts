// Official Account conversations (公众号消息): what followers wrote, our customer-service replies,
// the intent hint and “转为线索”.
import { z } from 'zod';
import { objectIdSchema } from './common.js';
import { keyPageFields, pageCursorSchema } from './feedback.js';
import { pagedSchema, pageQuerySchema } from './paging.js';

/** Words that hint a follower wants to buy (意向): a message containing one flags its conversation. */
export const oaIntentKeywords = ['想了解', '报价', '价格', '多少钱', '购买', '采购', '试用', '合作', '咨询'] as const;

export function hasOaIntent(text: string | null | undefined): boolean {
  if (!text) return false;
  return oaIntentKeywords.some((word) => text.includes(word));
}

/** What a non-text message shows as in the thread (its content is not kept). */
export const oaMessagePlaceholders: Record<string, string> = {
  image: '[图片]',
  voice: '[语音]',
  video: '[视频]',
  shortvideo: '[小视频]',
  location: '[位置]',
  link: '[链接]',
  file: '[文件]',
  miniprogrampage: '[小程序卡片]',
};
export const oaUnknownMessagePlaceholder = '[消息]';

/** Stored text is capped (WeChat allows a text message up to 2048 bytes; our replies 600 characters). */
export const OA_MESSAGE_MAX_CHARS = 2000;
export const OA_REPLY_MAX_CHARS = 600;

export const oaMessageDirections = ['in', 'out'] as const;
export type OaMessageDirection = (typeof oaMessageDirections)[number];

/** `:wechatUserId` of the conversation routes (a wechat_users id). */
export const oaConversationParamSchema = z.object({ wechatUserId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '微信用户编号无效') }).strict();

export const oaConversationListQuerySchema = pageQuerySchema
  .extend({
    /** Part of the follower's name (verified contact) or of a message. */
    q: z.string().trim().max(50, '搜索内容最多 50 个字符').optional(),
    /** `1`: only conversations with an intent hint. */
    intent: z.enum(['1']).optional(),
    /** The previous page's `nextCursor`: the page after it by key (latest activity first). */
    cursor: pageCursorSchema.optional(),
  })
  .strict();
export type OaConversationListQuery = z.infer<typeof oaConversationListQuerySchema>;

/** `cursor`: the previous page's `nextCursor` — the older messages before it. */
export const oaMessageListQuerySchema = pageQuerySchema.extend({ cursor: pageCursorSchema.optional() }).strict();
export type OaMessageListQuery = z.infer<typeof oaMessageListQuerySchema>;

export const oaReplyInputSchema = z
  .object({
    text: z.string().trim().min(1, '请填写回复内容').max(OA_REPLY_MAX_CHARS, `回复内容最多 ${OA_REPLY_MAX_CHARS} 个字符`),
  })
  .strict();
export type OaReplyInput = z.infer<typeof oaReplyInputSchema>;

/** Marks the lead made from a conversation (the lead must carry the conversation's wechatUserId). */
export const oaConversationLeadInputSchema = z.object({ leadId: objectIdSchema }).strict();
export type OaConversationLeadInput = z.infer<typeof oaConversationLeadInputSchema>;

export const oaMessageSchema = z.object({
  id: z.string(),
  direction: z.enum(oaMessageDirections),
  msgType: z.string(),
  /** The text, or a placeholder such as [图片]. */
  content: z.string(),
  intent: z.boolean(),
  /** Who replied (out), with their name. */
  staffId: z.string().nullable(),
  staffName: z.string().nullable(),
  at: z.string(),
});
export type OaMessageItem = z.infer<typeof oaMessageSchema>;

/** A page of a thread (page 1 the newest, each page oldest first); `nextCursor` leads to older ones. */
export const oaMessagePageSchema = pagedSchema(oaMessageSchema).extend(keyPageFields);
export type OaMessagePage = z.infer<typeof oaMessagePageSchema>;

const leadRefSchema = z.object({ id: z.string(), name: z.string(), status: z.string() });
export type OaLeadRef = z.infer<typeof leadRefSchema>;

export const oaConversationSchema = z.object({
  wechatUserId: z.string(),
  /** What the console calls the follower: the verified contact's name, else 微信用户 + a short id. */
  displayName: z.string(),
  subscribed: z.boolean(),
  contact: z.object({ id: z.string(), name: z.string(), phone: z.string(), phoneMasked: z.boolean() }).nullable(),
  customer: z.object({ id: z.string(), name: z.string() }).nullable(),
  lastMessage: z.object({ direction: z.enum(oaMessageDirections), content: z.string(), at: z.string() }),
  /** Messages from the follower since a staff member last opened the conversation (approximate). */
  unread: z.number().int(),
  intent: z.boolean(),
  /** When the follower last wrote: WeChat's 48-hour customer-service window runs from it. */
  lastInboundAt: z.string().nullable(),
  inServiceWindow: z.boolean(),
  /** The lead made from this conversation, if any. */
  lead: leadRefSchema.nullable(),
});
export type OaConversation = z.infer<typeof oaConversationSchema>;

/** A page of conversations, latest activity first, with where the next page starts. */
export const oaConversationPageSchema = pagedSchema(oaConversationSchema).extend(keyPageFields);
export type OaConversationPage = z.infer<typeof oaConversationPageSchema>;

export const oaConversationDetailSchema = oaConversationSchema.extend({
  /** Every lead made from this follower (newest first). */
  leads: z.array(leadRefSchema),
});
export type OaConversationDetail = z.infer<typeof oaConversationDetailSchema>;

/** WeChat's customer-service window: 48 hours after the follower's last message. */
export const OA_SERVICE_WINDOW_HOURS = 48;
