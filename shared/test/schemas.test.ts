// Request bodies and queries are strict objects: an unknown key — above all a `$`-key, the shape
// of a MongoDB operator — is refused, at the top and inside nested objects. Plus the edge cases
// of the rules the schemas carry (defaults, bounds, cross-field checks, warranty state).
import {
  chargeSchema,
  collaboratorsRequestSchema,
  contactInputSchema,
  customerInputSchema,
  dispatchRequestSchema,
  FEEDBACK_RULES,
  feedbackAdminListQuerySchema,
  feedbackCreateSchema,
  loginRequestSchema,
  partSchema,
  productArchiveInputSchema,
  ratingInputSchema,
  staffBindingRequestSchema,
  staffCreateSchema,
  staffListQuerySchema,
  staffUpdateSchema,
  verificationRequestSchema,
  visitInputSchema,
  warrantyState,
} from '@qiao/shared';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';

const ID = '5f8d0d55b54764421b7156c9';
const UUID = '3b241101-e2bb-4255-8caf-4136c566a962';

/** Each problem as `path: message` (path '' for the object itself). */
function problems(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

/** The keys zod refused as unknown, wherever they were. */
function unknownKeys(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key].join('.')) : [],
  );
}

const feedback = { clientRequestId: UUID, type: 'repair', description: '空调不制冷', contactPhone: '13800138000' };
const visit = { checkInAt: '2026-11-27T10:00:00Z' };
const product = { serialNumber: 'SN-1/A.2_b', model: 'KFR-72LW', productLine: '空调', customerId: ID, installedAt: '2025-06-01', warrantyEndsAt: '2027-06-01' };
const staff = { username: 'zhao.gong', name: '赵工', password: 'password-1', role: 'engineer' };

describe('strict objects', () => {
  // A valid value of each, so that only the added key can be the problem.
  const valid: Array<[string, z.ZodType, Record<string, unknown>]> = [
    ['login', loginRequestSchema, { username: 'admin', password: 'x' }],
    ['service request', feedbackCreateSchema, feedback],
    ['visit', visitInputSchema, visit],
    ['dispatch', dispatchRequestSchema, { engineerId: ID }],
    ['customer', customerInputSchema, { name: '西湖酒店', region: '杭州' }],
    ['contact', contactInputSchema, { customerId: ID, name: '李经理', phone: '13800138000' }],
    ['product archive', productArchiveInputSchema, product],
    ['staff', staffCreateSchema, staff],
    ['staff update', staffUpdateSchema, { name: '赵工', role: 'engineer' }],
    ['verification', verificationRequestSchema, { phone: '13800138000', code: '123456' }],
    ['rating', ratingInputSchema, { timeliness: 5, attitude: 5, quality: 5 }],
    ['staff list query', staffListQuerySchema, {}],
    ['request list query', feedbackAdminListQuerySchema, {}],
  ];

  it.each(valid)('%s: the valid value passes', (_, schema, value) => {
    expect(problems(schema, value)).toEqual([]);
  });

  it.each(valid)('%s: refuses `$`-keys and unknown keys', (_, schema, value) => {
    expect(unknownKeys(schema, { ...value, $where: '1' })).toEqual(['$where']);
    expect(unknownKeys(schema, { ...value, $set: { role: 'admin' } })).toEqual(['$set']);
    expect(unknownKeys(schema, { ...value, limit: 1000 })).toEqual(['limit']);
    expect(unknownKeys(schema, { ...value, 'role.$ne': 'x' })).toEqual(['role.$ne']);
  });

  it('refuses unknown keys inside nested objects too', () => {
    const location = { latitude: 30.25, longitude: 120.15, address: '北山街', $near: [0, 0] };
    expect(unknownKeys(visitInputSchema, { ...visit, location })).toEqual(['location.$near']);
    const parts = [{ name: '电机', quantity: 1, $inc: 1 }];
    expect(unknownKeys(visitInputSchema, { ...visit, parts })).toEqual(['parts.0.$inc']);
    expect(unknownKeys(partSchema, { name: '电机', quantity: 1, price: 5 })).toEqual(['price']);
    expect(unknownKeys(chargeSchema, { item: '上门费', amountFen: 100, currency: 'CNY' })).toEqual(['currency']);
  });

  it('refuses operators where a value is expected (operator injection)', () => {
    expect(problems(loginRequestSchema, { username: { $ne: null }, password: { $gt: '' } })).toHaveLength(2);
    expect(problems(staffListQuerySchema, { q: { $regex: '.' } })).toHaveLength(1);
    expect(problems(feedbackAdminListQuerySchema, { engineerId: { $ne: ID } })).toHaveLength(1);
    expect(problems(feedbackAdminListQuerySchema, { status: { $in: ['submitted'] } })).toHaveLength(1);
    expect(problems(dispatchRequestSchema, { engineerId: [ID] })).toHaveLength(1);
  });
});

describe('service requests', () => {
  it('fill their defaults', () => {
    expect(feedbackCreateSchema.parse(feedback)).toEqual({ ...feedback, productArchiveId: null, photoIds: [], address: '', requestedBy: null });
  });

  it('take at most the allowed number of photos, as ids', () => {
    const photoIds = (n: number) => Array.from({ length: n }, (_, i) => ID.slice(0, 22) + String(i).padStart(2, '0'));
    expect(problems(feedbackCreateSchema, { ...feedback, photoIds: photoIds(FEEDBACK_RULES.maxPhotos) })).toEqual([]);
    expect(problems(feedbackCreateSchema, { ...feedback, photoIds: photoIds(FEEDBACK_RULES.maxPhotos + 1) })).toEqual([`photoIds: 最多上传 ${FEEDBACK_RULES.maxPhotos} 张照片`]);
    expect(problems(feedbackCreateSchema, { ...feedback, photoIds: ['not-an-id'] })).toEqual(['photoIds.0: 编号无效']);
  });

  it('need a UUID request id, a known type, a description and a mobile number', () => {
    expect(problems(feedbackCreateSchema, { ...feedback, clientRequestId: 'abc' })).toEqual(['clientRequestId: 请求编号无效']);
    expect(problems(feedbackCreateSchema, { ...feedback, type: 'refund' })).toEqual(['type: 请选择服务类型']);
    expect(problems(feedbackCreateSchema, { ...feedback, description: '  ' })).toEqual(['description: 请填写问题描述']);
    expect(problems(feedbackCreateSchema, { ...feedback, contactPhone: '12345' })).toEqual(['contactPhone: 请输入正确的 11 位手机号']);
    expect(problems(feedbackCreateSchema, { ...feedback, requestedBy: '2026-12-01' })).toEqual(['requestedBy: 时间格式不正确']);
  });
});

describe('other rules in the schemas', () => {
  it('ratings are whole scores from 1 to 5', () => {
    for (const score of [1, 5]) expect(problems(ratingInputSchema, { timeliness: score, attitude: 3, quality: 3 })).toEqual([]);
    for (const score of [0, 6, 2.5, '5']) expect(problems(ratingInputSchema, { timeliness: score, attitude: 3, quality: 3 })).toHaveLength(1);
    expect(ratingInputSchema.parse({ timeliness: 1, attitude: 1, quality: 1 }).comment).toBe('');
  });

  it('charges are whole fen, never negative; parts come in whole numbers', () => {
    expect(problems(chargeSchema, { item: '上门费', amountFen: 0 })).toEqual([]);
    expect(problems(chargeSchema, { item: '上门费', amountFen: -1 })).toHaveLength(1);
    expect(problems(chargeSchema, { item: '上门费', amountFen: 80.5 })).toHaveLength(1);
    expect(problems(partSchema, { name: '电机', quantity: 0 })).toHaveLength(1);
    expect(partSchema.parse({ name: ' 电机 ', quantity: 2 })).toEqual({ name: '电机', model: '', quantity: 2 });
  });

  it('a product archive’s warranty cannot end before its installation', () => {
    expect(problems(productArchiveInputSchema, { ...product, warrantyEndsAt: product.installedAt })).toEqual([]);
    expect(problems(productArchiveInputSchema, { ...product, warrantyEndsAt: '2025-05-31' })).toEqual(['warrantyEndsAt: 保修到期日不能早于安装日期']);
    expect(problems(productArchiveInputSchema, { ...product, serialNumber: 'SN 1' })).toEqual(['serialNumber: 序列号只能包含字母、数字和 _ . / -']);
  });

  it('customer codes are letters, digits, _ and - (empty: generated)', () => {
    expect(customerInputSchema.parse({ name: '酒店', region: '杭州' }).code).toBe('');
    expect(problems(customerInputSchema, { name: '酒店', region: '杭州', code: 'KH$1' })).toEqual(['code: 客户编码只能包含字母、数字、下划线和短横线']);
  });

  it('contacts store the normalised mobile number', () => {
    expect(contactInputSchema.parse({ customerId: ID, name: '李经理', phone: '+86 138 0013 8000' }).phone).toBe('13800138000');
  });

  it('staff: phone may be empty, password at least 8, areas are non-blank tags', () => {
    expect(staffCreateSchema.parse(staff)).toMatchObject({ phone: '', department: '', regions: [], productLines: [] });
    expect(problems(staffCreateSchema, { ...staff, phone: '123' })).toHaveLength(1);
    expect(problems(staffCreateSchema, { ...staff, password: 'short' })).toEqual(['password: 密码至少 8 位']);
    expect(problems(staffCreateSchema, { ...staff, regions: ['杭州', ' '] })).toEqual(['regions.1: 请填写服务地区']);
    expect(problems(staffCreateSchema, { ...staff, role: 'boss' })).toEqual(['role: 请选择角色']);
    expect(problems(staffCreateSchema, { ...staff, username: '赵工' })).toEqual(['username: 账号只能包含字母、数字、下划线、点和短横线']);
    expect(staffUpdateSchema.parse({ name: '赵工', role: 'engineer' })).toMatchObject({ active: true });
    expect(unknownKeys(staffUpdateSchema, { name: '赵工', role: 'engineer', username: 'x' })).toEqual(['username']);
  });

  it('invite codes are 8 letters or digits, upper-cased', () => {
    expect(staffBindingRequestSchema.parse({ inviteCode: ' ab12cd34 ' })).toEqual({ inviteCode: 'AB12CD34' });
    expect(problems(staffBindingRequestSchema, { inviteCode: 'AB12CD3' })).toEqual(['inviteCode: 邀请码为 8 位字母或数字']);
  });

  it('verification codes are 6 digits', () => {
    expect(problems(verificationRequestSchema, { phone: '13800138000', code: '12345a' })).toEqual(['code: 验证码为 6 位数字']);
    expect(problems(collaboratorsRequestSchema, { engineerIds: [] })).toEqual(['engineerIds: 请选择协作人']);
  });
});

describe('warranty state', () => {
  const now = new Date('2026-11-27T00:00:00Z');
  const DAY = 86_400_000;
  it.each([
    ['ended yesterday', new Date(now.getTime() - DAY), 'expired'],
    ['ended a millisecond ago', new Date(now.getTime() - 1), 'expired'],
    ['ends now', now, 'expiring'],
    ['ends in exactly 30 days', new Date(now.getTime() + 30 * DAY), 'expiring'],
    ['ends 30 days and a millisecond from now', new Date(now.getTime() + 30 * DAY + 1), 'in_warranty'],
    ['ends next year (as YYYY-MM-DD)', '2027-11-27', 'in_warranty'],
  ])('%s → %s', (_, end, state) => {
    expect(warrantyState(end, now)).toBe(state);
  });
});
