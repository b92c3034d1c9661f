// Pool rules: a person's entry beats their role's, which beats the defaults; 0 means no limit.
import { describe, expect, it } from 'vitest';
import { defaultPoolRules, poolLimitsFor, poolRulesSchema, type PoolRules } from '../src/pool.js';

const rules: PoolRules = {
  defaults: { maxOwned: 100, maxDaysWithoutFollowUp: 30, maxDaysWithoutDeal: 90, remindDaysBefore: 3 },
  byRole: { sales: { maxOwned: 50 }, manager: { maxDaysWithoutDeal: 0 } },
  byStaff: [{ staffId: 'a'.repeat(24), maxOwned: 5, maxDaysWithoutFollowUp: 0 }],
};

describe('poolLimitsFor', () => {
  it('takes the person, then the role, then the defaults, field by field', () => {
    expect(poolLimitsFor(rules, { id: 'a'.repeat(24), role: 'sales' })).toEqual({ maxOwned: 5, maxDaysWithoutFollowUp: 0, maxDaysWithoutDeal: 90, remindDaysBefore: 3 });
    expect(poolLimitsFor(rules, { id: 'b'.repeat(24), role: 'sales' })).toEqual({ maxOwned: 50, maxDaysWithoutFollowUp: 30, maxDaysWithoutDeal: 90, remindDaysBefore: 3 });
    expect(poolLimitsFor(rules, { id: 'b'.repeat(24), role: 'manager' })).toEqual({ maxOwned: 100, maxDaysWithoutFollowUp: 30, maxDaysWithoutDeal: 0, remindDaysBefore: 3 });
    // Other roles get the defaults (no role rules for them).
    expect(poolLimitsFor(rules, { id: 'b'.repeat(24), role: 'dispatcher' }).maxOwned).toBe(100);
  });

  it('the schema refuses negative limits, unknown roles and extra keys; the defaults pass it', () => {
    expect(poolRulesSchema.safeParse(defaultPoolRules).success).toBe(true);
    expect(poolRulesSchema.safeParse({ ...rules, defaults: { ...rules.defaults, maxOwned: -1 } }).success).toBe(false);
    expect(poolRulesSchema.safeParse({ ...rules, byRole: { engineer: {} } }).success).toBe(false);
    expect(poolRulesSchema.safeParse({ ...rules, byStaff: [{ staffId: 'x', maxOwned: 1 }] }).success).toBe(false);
    expect(poolRulesSchema.safeParse({ ...rules, extra: 1 }).success).toBe(false);
    expect(poolRulesSchema.safeParse({ ...rules, defaults: { ...rules.defaults, maxOwned: 1.5 } }).success).toBe(false);
  });
});
