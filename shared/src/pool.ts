// Customer ownership and the public pool (客户公海): who owns a customer, the history of owners,
// the pool rules (caps and clocks) and the actions on ownership (申领 / 放回公海 / 转交 / 批量转移 / 锁定).
import { z } from 'zod';
import { objectIdSchema, requiredText, searchQuerySchema } from './common.js';
import { pageQuerySchema } from './paging.js';

// ---- ownership history (customer_ownership_events) ----

export const ownershipEventKinds = ['create', 'claim', 'release', 'transfer', 'return', 'reassign', 'convert', 'import'] as const;
export type OwnershipEventKind = (typeof ownershipEventKinds)[number];
export const ownershipEventLabels: Record<OwnershipEventKind, string> = {
  create: '新建',
  claim: '申领',
  release: '放回公海',
  transfer: '转交',
  return: '到期退回公海',
  reassign: '批量转移',
  convert: '线索转化',
  import: '导入',
};

export const ownershipEventSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  kind: z.enum(ownershipEventKinds),
  /** null: the customer was in the pool (or new). */
  fromOwnerId: z.string().nullable(),
  fromOwnerName: z.string().nullable(),
  /** null: the customer went to the pool. */
  toOwnerId: z.string().nullable(),
  toOwnerName: z.string().nullable(),
  reason: z.string(),
  /** Who did it; null: the daily return job (系统). */
  byStaffId: z.string().nullable(),
  byStaffName: z.string().nullable(),
  /** The customer's department after the change. */
  department: z.string(),
  at: z.string(),
});
export type OwnershipEvent = z.infer<typeof ownershipEventSchema>;

// ---- pool rules (setting `pool-rules`) ----

/** 0 = no limit. */
const limit = (label: string) => z.number({ message: `${label}必须是数字` }).int(`${label}必须是整数`).min(0, `${label}不能为负`).max(100_000, `${label}过大`);

export const poolLimitsSchema = z
  .object({
    /** 最大客户数: customers one person may own (claims and transfers to them stop there). */
    maxOwned: limit('最大客户数'),
    /** 最长未跟进天数: an owned customer without a follow-up this long returns to the pool. */
    maxDaysWithoutFollowUp: limit('最长未跟进天数'),
    /** 最长未成交天数: an owned customer without a deal this long returns to the pool. */
    maxDaysWithoutDeal: limit('最长未成交天数'),
  })
  .strict();
export type PoolLimits = z.infer<typeof poolLimitsSchema>;

const partialLimits = poolLimitsSchema.partial().strict();

export const poolRulesSchema = z
  .object({
    defaults: poolLimitsSchema.extend({ remindDaysBefore: limit('提前提醒天数') }).strict(),
    byRole: z.object({ sales: partialLimits.optional(), manager: partialLimits.optional() }).strict(),
    byStaff: z.array(partialLimits.extend({ staffId: objectIdSchema }).strict()).max(1000, '个人规则最多 1000 条'),
  })
  .strict();
export type PoolRules = z.infer<typeof poolRulesSchema>;

export const defaultPoolRules: PoolRules = {
  defaults: { maxOwned: 200, maxDaysWithoutFollowUp: 30, maxDaysWithoutDeal: 90, remindDaysBefore: 3 },
  byRole: {},
  byStaff: [],
};

/** A person's limits: their own entry beats their role's, which beats the defaults. */
export function poolLimitsFor(rules: PoolRules, staff: { id: string; role: string }): PoolLimits & { remindDaysBefore: number } {
  const role = staff.role === 'sales' || staff.role === 'manager' ? rules.byRole[staff.role] : undefined;
  const own = rules.byStaff.find((entry) => entry.staffId === staff.id);
  const pick = (key: keyof PoolLimits) => own?.[key] ?? role?.[key] ?? rules.defaults[key];
  return {
    maxOwned: pick('maxOwned'),
    maxDaysWithoutFollowUp: pick('maxDaysWithoutFollowUp'),
    maxDaysWithoutDeal: pick('maxDaysWithoutDeal'),
    remindDaysBefore: rules.defaults.remindDaysBefore,
  };
}

// ---- actions ----

export const reasonSchema = requiredText(200, '原因');

export const releaseInputSchema = z.object({ reason: reasonSchema }).strict();
export type ReleaseInput = z.infer<typeof releaseInputSchema>;

export const transferInputSchema = z.object({ toStaffId: objectIdSchema, reason: reasonSchema }).strict();
export type TransferInput = z.infer<typeof transferInputSchema>;

export const reassignInputSchema = z.object({ fromStaffId: objectIdSchema, toStaffId: objectIdSchema, reason: reasonSchema }).strict();
export type ReassignInput = z.infer<typeof reassignInputSchema>;

export const reassignResultSchema = z.object({
  /** Customers moved by this call. */
  moved: z.number().int(),
  /** Customers the person still owns (0 when done; call again to resume). */
  remaining: z.number().int(),
});
export type ReassignResult = z.infer<typeof reassignResultSchema>;

export const lockInputSchema = z.object({ locked: z.boolean() }).strict();
export type LockInput = z.infer<typeof lockInputSchema>;

// ---- the pool list ----

export const poolListQuerySchema = pageQuerySchema
  .extend({
    q: searchQuerySchema,
    region: z.string().trim().max(50).optional(),
    industry: z.string().trim().max(50).optional(),
  })
  .strict();
export type PoolListQuery = z.infer<typeof poolListQuerySchema>;

export const poolCustomerSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  region: z.string(),
  industry: z.string(),
  grade: z.string(),
  /** Masked for sales (`138****8000`): the pool is for deciding a claim. */
  phone: z.string(),
  department: z.string(),
  departmentName: z.string(),
  /** Who owned it last and when it entered the pool (from the history), if known. */
  lastOwnerName: z.string().nullable(),
  inPoolSince: z.string().nullable(),
  lastFollowUpAt: z.string().nullable(),
  createdAt: z.string(),
});
export type PoolCustomer = z.infer<typeof poolCustomerSchema>;

/** What the caller's own pool situation is: how many they own against their cap (0 = no limit). */
export const poolQuotaSchema = z.object({ owned: z.number().int(), maxOwned: z.number().int() });
export type PoolQuota = z.infer<typeof poolQuotaSchema>;
