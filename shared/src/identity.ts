import { z } from 'zod';
import { mobilePhoneSchema } from './customers.js';

export const staffRoles = ['admin', 'marketer', 'sales', 'dispatcher', 'engineer', 'manager'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const staffRoleLabels: Record<StaffRole, string> = {
  admin: '系统管理员',
  marketer: '营销',
  sales: '销售',
  dispatcher: '服务主管',
  engineer: '服务工程师',
  manager: '经理',
};

export const usernameSchema = z
  .string()
  .trim()
  .min(2, '账号至少 2 个字符')
  .max(32, '账号最多 32 个字符')
  .regex(/^[A-Za-z0-9_.-]+$/, '账号只能包含字母、数字、下划线、点和短横线');

export const loginRequestSchema = z
  .object({
    username: usernameSchema,
    password: z.string().min(1, '请输入密码').max(128, '密码过长'),
  })
  .strict();
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const staffUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(staffRoles),
  department: z.string().nullable(),
});
export type StaffUser = z.infer<typeof staffUserSchema>;

export const staffSessionSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: staffUserSchema,
});
export type StaffSession = z.infer<typeof staffSessionSchema>;

export const mpLoginRequestSchema = z
  .object({
    code: z.string().trim().min(1, '缺少登录凭证').max(128, '登录凭证无效'),
  })
  .strict();
export type MpLoginRequest = z.infer<typeof mpLoginRequestSchema>;

export const customerUserSchema = z.object({
  id: z.string(),
  /** Mini-program openid of this person. */
  openid: z.string(),
  unionid: z.string().nullable(),
  /** Whether the same person follows the Official Account (linked through unionid). */
  followsOfficialAccount: z.boolean(),
  /** Bound to a contact of a customer (身份验证 done). */
  verified: z.boolean(),
  /** The contact and customer they verified as. */
  contact: z.object({ id: z.string(), name: z.string(), phone: z.string(), customerId: z.string(), customerName: z.string() }).nullable(),
  /** Set when this WeChat user is a staff member bound by invite code: the mini-program shows the engineer pages. */
  staff: z.object({ id: z.string(), name: z.string(), role: z.enum(staffRoles) }).nullable(),
});
export type CustomerUser = z.infer<typeof customerUserSchema>;

export const customerSessionSchema = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: customerUserSchema,
});
export type CustomerSession = z.infer<typeof customerSessionSchema>;

// Identity verification (身份验证): phone + one-time SMS code.
export const VERIFICATION_RULES = {
  codeLength: 6,
  ttlSeconds: 5 * 60,
  maxWrongAttempts: 5,
  resendSeconds: 60,
} as const;

export const verificationCodeRequestSchema = z.object({ phone: mobilePhoneSchema }).strict();
export type VerificationCodeRequest = z.infer<typeof verificationCodeRequestSchema>;

/** Seconds until the code expires / until another code may be requested. */
export const verificationCodeResponseSchema = z.object({ expiresIn: z.number(), resendIn: z.number() });
export type VerificationCodeResponse = z.infer<typeof verificationCodeResponseSchema>;

export const verificationRequestSchema = z
  .object({
    phone: mobilePhoneSchema,
    code: z.string().trim().regex(/^\d{6}$/, '验证码为 6 位数字'),
  })
  .strict();
export type VerificationRequest = z.infer<typeof verificationRequestSchema>;
