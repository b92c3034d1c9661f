// The building blocks every request schema is made of: ids, phone numbers, free text, dates and
// search terms — what they let through, what they turn it into, and what they refuse (in Chinese).
import {
  isoDate,
  isoDateTime,
  mobilePhoneSchema,
  normalizePhone,
  objectIdParamSchema,
  objectIdSchema,
  phoneSchema,
  requiredText,
  searchQuerySchema,
  text,
} from '@qiao/shared';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';

/** The first problem zod reports, or null when the value passes. */
function problem(schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  return result.success ? null : result.error.issues[0]!.message;
}

describe('ids', () => {
  it('accept 24 lower-case hex digits', () => {
    expect(objectIdSchema.parse('5f8d0d55b54764421b7156c9')).toBe('5f8d0d55b54764421b7156c9');
  });

  it.each([
    ['upper case', '5F8D0D55B54764421B7156C9'],
    ['too short', '5f8d0d55b54764421b7156c'],
    ['too long', '5f8d0d55b54764421b7156c90'],
    ['not hex', '5f8d0d55b54764421b7156cz'],
    ['padded', ' 5f8d0d55b54764421b7156c9'],
    ['empty', ''],
  ])('refuse %s', (_, value) => {
    expect(problem(objectIdSchema, value)).toBe('编号无效');
  });

  it('refuse anything but a string: numbers, operators, arrays', () => {
    for (const value of [123, null, undefined, { $ne: null }, ['5f8d0d55b54764421b7156c9']]) {
      expect(objectIdSchema.safeParse(value).success, JSON.stringify(value)).toBe(false);
    }
  });

  it('the :id route parameter is a strict object', () => {
    expect(objectIdParamSchema.parse({ id: '5f8d0d55b54764421b7156c9' })).toEqual({ id: '5f8d0d55b54764421b7156c9' });
    expect(objectIdParamSchema.safeParse({ id: '5f8d0d55b54764421b7156c9', extra: '1' }).success).toBe(false);
  });
});

describe('phone numbers', () => {
  it('phoneSchema takes an 11-digit mainland mobile number, trimmed', () => {
    expect(phoneSchema.parse('13800138000')).toBe('13800138000');
    expect(phoneSchema.parse(' 19912345678 ')).toBe('19912345678');
  });

  it.each([
    ['a second digit below 3', '12800138000'],
    ['ten digits', '1380013800'],
    ['twelve digits', '138001380000'],
    ['a landline', '02112345678'],
    ['a country code (phoneSchema does not normalise)', '+8613800138000'],
    ['spaces inside', '138 0013 8000'],
    ['letters', '1380013800a'],
  ])('phoneSchema refuses %s', (_, value) => {
    expect(problem(phoneSchema, value)).toBe('请输入正确的 11 位手机号');
  });

  it.each([
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['(138) 0013.8000', '13800138000'],
    ['+86 138-0013-8000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['8613800138000', '13800138000'],
    ['  13800138000  ', '13800138000'],
  ])('normalizePhone and mobilePhoneSchema turn %j into %s', (typed, stored) => {
    expect(normalizePhone(typed)).toBe(stored);
    expect(mobilePhoneSchema.parse(typed)).toBe(stored);
  });

  it('mobilePhoneSchema still refuses what is not a mainland mobile after normalising', () => {
    for (const value of ['+852 1380 0138 000', '+86 12800138000', '+86 1380013800', '0086', '', '+1 4155550100']) {
      expect(problem(mobilePhoneSchema, value), value).toBe('请输入正确的 11 位手机号');
    }
  });

  it('normalizePhone leaves what it does not recognise alone, for the validator to refuse', () => {
    expect(normalizePhone('+852 5123 4567')).toBe('+85251234567');
    expect(normalizePhone('8613800')).toBe('8613800');
  });
});

describe('free text', () => {
  it('text trims and is bounded, with the field named in the message', () => {
    const note = text(5, '备注');
    expect(note.parse('  你好  ')).toBe('你好');
    expect(note.parse('')).toBe('');
    expect(note.parse('一二三四五')).toBe('一二三四五');
    expect(problem(note, '一二三四五六')).toBe('备注最多 5 个字符');
    // Counted after trimming.
    expect(note.parse('  一二三四五  ')).toBe('一二三四五');
  });

  it('requiredText refuses empty and blank text', () => {
    const reason = requiredText(10, '原因');
    expect(reason.parse(' 改约 ')).toBe('改约');
    expect(problem(reason, '')).toBe('请填写原因');
    expect(problem(reason, '   ')).toBe('请填写原因');
    expect(problem(reason, 'x'.repeat(11))).toBe('原因最多 10 个字符');
    expect(reason.safeParse(42).success).toBe(false);
  });
});

describe('dates', () => {
  it.each(['2026-11-27T10:00:00Z', '2026-11-27T10:00:00.123Z', '2026-11-27T18:00:00+08:00'])('isoDateTime accepts %s', (value) => {
    expect(isoDateTime.parse(value)).toBe(value);
  });

  it.each([
    ['no time zone', '2026-11-27T10:00:00'],
    ['an offset without colon', '2026-11-27T18:00:00+0800'],
    ['a date only', '2026-11-27'],
    ['month 13', '2026-13-27T10:00:00Z'],
    ['a space instead of T', '2026-11-27 10:00:00Z'],
    ['free text', '明天上午'],
  ])('isoDateTime refuses %s', (_, value) => {
    expect(problem(isoDateTime, value)).toBe('时间格式不正确');
  });

  it('isoDate is YYYY-MM-DD and nothing else', () => {
    expect(isoDate.parse('2026-01-05')).toBe('2026-01-05');
    for (const value of ['2026-1-5', '2026/01/05', '20260105', '2026-01-05T00:00:00Z', ' 2026-01-05']) {
      expect(problem(isoDate, value), value).toBe('日期格式应为 YYYY-MM-DD');
    }
  });
});

describe('search terms', () => {
  it('are optional plain text, trimmed, at most 50 characters', () => {
    expect(searchQuerySchema.parse(undefined)).toBeUndefined();
    expect(searchQuerySchema.parse('  张三 ')).toBe('张三');
    expect(searchQuerySchema.parse('a'.repeat(50))).toHaveLength(50);
    expect(problem(searchQuerySchema, 'a'.repeat(51))).toBe('搜索词最多 50 个字符');
  });

  it('are never an operator: `?q[$regex]=.` arrives as an object and is refused', () => {
    expect(searchQuerySchema.safeParse({ $regex: '.' }).success).toBe(false);
    expect(searchQuerySchema.safeParse(['a', 'b']).success).toBe(false);
  });
});
