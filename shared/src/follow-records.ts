// Follow-up records (跟进记录) on leads and customers: a visit, a call, a WeChat chat …, what was
// said, the next step and when. The latest record of a lead or customer sets its next follow-up
// date (the workbench's due list); a record on a customer restarts its pool clock.
import { z } from 'zod';
import { isoDate, isoDateTime, objectIdSchema, requiredText, text } from './common.js';
import { keyPageFields, pageCursorSchema } from './feedback.js';
import { pageQuerySchema, pagedSchema } from './paging.js';

export const followKinds = ['visit', 'phone', 'wechat', 'other'] as const;
export type FollowKind = (typeof followKinds)[number];
export const followKindLabels: Record<FollowKind, string> = { visit: '拜访', phone: '电话', wechat: '微信', other: '其他' };

export const followTargets = ['lead', 'customer'] as const;
export type FollowTarget = (typeof followTargets)[number];
export const followTargetLabels: Record<FollowTarget, string> = { lead: '线索', customer: '客户' };

export const FOLLOW_NOTE_MAX = 1000;
export const FOLLOW_NEXT_STEP_MAX = 200;

export const followRecordInputSchema = z
  .object({
    target: z.enum(followTargets, { message: '跟进对象无效' }),
    leadId: objectIdSchema.optional(),
    customerId: objectIdSchema.optional(),
    kind: z.enum(followKinds, { message: '跟进方式无效' }),
    note: requiredText(FOLLOW_NOTE_MAX, '跟进内容'),
    nextStep: text(FOLLOW_NEXT_STEP_MAX, '下一步计划').default(''),
    /** 下次跟进: an instant, or a China calendar day (YYYY-MM-DD, its start); null/absent for none. */
    nextAt: z.union([isoDateTime, isoDate]).nullable().optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const id = value.target === 'lead' ? value.leadId : value.customerId;
    const other = value.target === 'lead' ? value.customerId : value.leadId;
    if (!id) ctx.addIssue({ code: 'custom', path: [value.target === 'lead' ? 'leadId' : 'customerId'], message: '请指定跟进的线索或客户' });
    if (other) ctx.addIssue({ code: 'custom', path: [value.target === 'lead' ? 'customerId' : 'leadId'], message: '一条跟进记录只能属于一个线索或客户' });
  });
export type FollowRecordInput = z.infer<typeof followRecordInputSchema>;

export const followRecordSchema = z.object({
  id: z.string(),
  target: z.enum(followTargets),
  leadId: z.string().nullable(),
  customerId: z.string().nullable(),
  /** The lead's company or name, the customer's name ('' once deleted). */
  targetName: z.string(),
  kind: z.enum(followKinds),
  note: z.string(),
  nextStep: z.string(),
  nextAt: z.string().nullable(),
  authorId: z.string(),
  authorName: z.string(),
  department: z.string(),
  createdAt: z.string(),
  /** Whether it is the target's latest record (only that one's next date counts). */
  latest: z.boolean(),
});
export type FollowRecordView = z.infer<typeof followRecordSchema>;
/** A page of records: `nextCursor` for the next page by key (a timeline or `mine`; none for `due`). */
export const followRecordPageSchema = pagedSchema(followRecordSchema).extend(keyPageFields);
export type FollowRecordPage = z.infer<typeof followRecordPageSchema>;

const flag = z.enum(['1', '0', 'true', 'false']).optional();

export const followRecordListQuerySchema = pageQuerySchema
  .extend({
    leadId: objectIdSchema.optional(),
    customerId: objectIdSchema.optional(),
    /** Due follow-ups: the latest record of each visible lead/customer with a next date by today's end. */
    due: flag,
    /** Only records written by the caller. */
    mine: flag,
    /** Key paging of a timeline or of `mine`: the `nextCursor` of the previous page (with `page` = its page + 1). */
    cursor: pageCursorSchema.optional(),
  })
  .strict();
export type FollowRecordListQuery = z.infer<typeof followRecordListQuerySchema>;

/** Query flags arrive as strings. */
export const isQueryFlagOn = (value: string | undefined) => value === '1' || value === 'true';
