// The lead input: phones in any common Chinese format stored normalised, limits, and an edit that
// leaves out what it does not change (no defaults filled in).
import { leadInputSchema, leadListQuerySchema, leadUpdateSchema } from '@qiao/shared';
import { describe, expect, it } from 'vitest';

describe('leadInputSchema', () => {
  it.each([
    ['+86 138-0013-8000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['(0571) 8888-6666', '057188886666'],
    ['8888 6666', '88886666'],
    ['400-800-8888', '4008008888'],
    ['', ''],
  ])('phone %s → %s', (phone, stored) => {
    expect(leadInputSchema.parse({ name: '张三', phone }).phone).toBe(stored);
  });

  it.each(['12345', '138001380001', 'abc', '+1 415 555 0100'])('refuses the phone %s', (phone) => {
    expect(leadInputSchema.safeParse({ name: '张三', phone }).success).toBe(false);
  });

  it('needs a name; bounds company, notes and email; fills defaults; refuses unknown fields', () => {
    expect(leadInputSchema.safeParse({ company: '蓝鲸' }).success).toBe(false);
    expect(leadInputSchema.safeParse({ name: '张三', company: '蓝'.repeat(101) }).success).toBe(false);
    expect(leadInputSchema.safeParse({ name: '张三', notes: '记'.repeat(1001) }).success).toBe(false);
    expect(leadInputSchema.safeParse({ name: '张三', email: 'not-an-email' }).success).toBe(false);
    expect(leadInputSchema.safeParse({ name: '张三', source: 'campaign' }).success).toBe(false);
    expect(leadInputSchema.parse({ name: ' 张三 ' })).toEqual({ name: '张三', company: '', phone: '', email: '', region: '', industry: '', products: [], notes: '' });
  });
});

describe('leadUpdateSchema', () => {
  it('keeps only what is sent and needs something', () => {
    expect(leadUpdateSchema.parse({ notes: '下周拜访' })).toEqual({ notes: '下周拜访' });
    expect(leadUpdateSchema.parse({ phone: '138 0013 8000', status: 'following' })).toEqual({ phone: '13800138000', status: 'following' });
    expect(leadUpdateSchema.safeParse({}).success).toBe(false);
    expect(leadUpdateSchema.safeParse({ status: 'lost' }).success).toBe(false);
    expect(leadUpdateSchema.safeParse({ name: '' }).success).toBe(false);
  });
});

describe('leadListQuerySchema', () => {
  it('takes real China days in order', () => {
    expect(leadListQuerySchema.safeParse({ from: '2026-11-01', to: '2026-11-30', mine: '1' }).success).toBe(true);
    expect(leadListQuerySchema.safeParse({ from: '2026-11-30', to: '2026-11-01' }).success).toBe(false);
    expect(leadListQuerySchema.safeParse({ from: '2026-02-30' }).success).toBe(false);
  });
});

describe('phone messages', () => {
  it('says once what is wrong', () => {
    const result = leadInputSchema.safeParse({ name: '张三', phone: 'abc' });
    expect(result.success ? [] : result.error.issues.map((issue) => issue.message)).toEqual(['请输入正确的电话（手机或座机）']);
  });
});
