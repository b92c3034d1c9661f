import { z } from 'zod';

export const objectIdSchema = z.string().regex(/^[a-f0-9]{24}$/, '编号无效');
export const objectIdParamSchema = z.object({ id: objectIdSchema }).strict();

/** Mainland mobile numbers, the only kind WeChat customers verify with. */
export const phoneSchema = z.string().trim().regex(/^1[3-9]\d{9}$/, '请输入正确的 11 位手机号');

/** Free text typed by a person: trimmed, bounded. */
export const text = (max: number, label: string) => z.string().trim().max(max, `${label}最多 ${max} 个字符`);
export const requiredText = (max: number, label: string) => text(max, label).min(1, `请填写${label}`);

/** ISO date-time from JSON or a query string. */
export const isoDateTime = z.string().datetime({ offset: true, message: '时间格式不正确' });
/** Calendar date YYYY-MM-DD. */
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');

/** `?q=` search over names, codes, phones: plain text, never an operator. */
export const searchQuerySchema = z.string().trim().max(50, '搜索词最多 50 个字符').optional();
