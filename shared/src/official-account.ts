import { z } from 'zod';

/** How an auto reply is triggered: keyword equals / contains, a menu click key, following, or nothing matched. */
export const autoReplyTriggers = ['exact', 'contains', 'click', 'subscribe', 'default'] as const;
export type AutoReplyTrigger = (typeof autoReplyTriggers)[number];
export const autoReplyTriggerLabels: Record<AutoReplyTrigger, string> = {
  exact: '关键词完全匹配',
  contains: '关键词包含',
  click: '菜单点击',
  subscribe: '关注欢迎语',
  default: '默认回复',
};

const triggerNeedsKeyword = (trigger: AutoReplyTrigger) => trigger === 'exact' || trigger === 'contains' || trigger === 'click';

export const autoReplyInputSchema = z
  .object({
    trigger: z.enum(autoReplyTriggers, { message: '请选择触发方式' }),
    keyword: z.string().trim().max(60, '关键词最多 60 个字符').default(''),
    // WeChat limits a passive text reply to 2048 bytes; 600 Chinese characters stay under it.
    reply: z.string().trim().min(1, '请填写回复内容').max(600, '回复内容最多 600 个字符'),
    enabled: z.boolean().default(true),
  })
  .strict()
  .refine((value) => !triggerNeedsKeyword(value.trigger) || value.keyword.length > 0, {
    message: '请填写关键词',
    path: ['keyword'],
  });
export type AutoReplyInput = z.infer<typeof autoReplyInputSchema>;

export const autoReplySchema = z.object({
  id: z.string(),
  trigger: z.enum(autoReplyTriggers),
  keyword: z.string(),
  reply: z.string(),
  enabled: z.boolean(),
  updatedAt: z.string(),
});
export type AutoReplyItem = z.infer<typeof autoReplySchema>;

/**
 * Follower sync: existing followers read from WeChat (user/get + user/info/batchget) on the first
 * start with real credentials and nightly. `never` until it first runs.
 */
export const followerSyncStates = ['never', 'queued', 'running', 'done', 'failed'] as const;
export type FollowerSyncState = (typeof followerSyncStates)[number];
export const followerSyncStateLabels: Record<FollowerSyncState, string> = {
  never: '尚未同步',
  queued: '等待同步',
  running: '同步中',
  done: '已完成',
  failed: '同步失败',
};

export const followerSyncStatusSchema = z.object({
  status: z.enum(followerSyncStates),
  /** Followers WeChat reports (user/get `total`) at the last page read. */
  total: z.number().int(),
  /** Followers read in the current / last run. */
  fetched: z.number().int(),
  /** New WeChat users created in this run. */
  created: z.number().int(),
  /** Unionids linked in this run (a follower joined with the same person's mini-program record). */
  linked: z.number().int(),
  /** Known users marked as following again. */
  updated: z.number().int(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
});
export type FollowerSyncStatus = z.infer<typeof followerSyncStatusSchema>;
