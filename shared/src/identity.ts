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

// Staff password policy, the same in the console and on the server: at least 8 characters with
// letters and digits, not the account name, not one of the passwords every guesser tries first.
export const PASSWORD_RULES = { minLength: 8, maxLength: 128 } as const;

/** Common passwords that have letters and digits (the others already fail the rule). Lower case. */
const COMMON_PASSWORDS = new Set([
  'password1', 'password12', 'password123', 'passw0rd', 'p@ssw0rd', 'p@ssword1', 'abc12345', 'abcd1234',
  'abc123456', 'a1234567', 'a12345678', 'a123456789', 'aa123456', 'aa123123', 'qwerty12', 'qwerty123',
  'qwe123456', 'qwer1234', 'asd123456', 'asdf1234', 'zxc123456', 'qaz123456', '1qaz2wsx', '1q2w3e4r',
  '1q2w3e4r5t', 'q1w2e3r4', '123456abc', '123456aa', '12345678a', '123456789a', 'admin123', 'admin1234',
  'admin888', 'admin@123', 'root1234', 'test1234', 'welcome1', 'letmein1', 'changeme1', 'iloveyou1',
  'woaini1314', 'woaini520', 'wang1234', 'zhang123', 'li123456', 'qiao1234', 'qiao2026', 'abc@1234',
]);

/** What is wrong with a new staff password (Chinese, for people), or null when it is acceptable. */
export function passwordProblem(password: string, username?: string | null): string | null {
  if (password.length < PASSWORD_RULES.minLength) return `密码至少 ${PASSWORD_RULES.minLength} 位`;
  if (password.length > PASSWORD_RULES.maxLength) return '密码过长';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码须同时包含字母和数字';
  if (username && password.toLowerCase() === username.trim().toLowerCase()) return '密码不能与账号相同';
  if (COMMON_PASSWORDS.has(password.toLowerCase())) return '密码过于常见，请换一个';
  return null;
}

/** A new staff password (create, reset); the account-name rule is checked where the name is known. */
export const newPasswordSchema = z.string().superRefine((value, ctx) => {
  const problem = passwordProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

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

/** Official Account web authorisation (网页授权): where in the H5 app to land afterwards. */
export const oauthStartQuerySchema = z
  .object({ redirect: z.string().max(2000).optional() })
  .strict();
export type OauthStartQuery = z.infer<typeof oauthStartQuerySchema>;

/** What WeChat appends to the callback: `code` (absent when the user refused) and our `state`. */
export const oauthCallbackQuerySchema = z
  .object({ code: z.string().max(256).optional(), state: z.string().max(256).optional() })
  .strict();
export type OauthCallbackQuery = z.infer<typeof oauthCallbackQuerySchema>;

/** The one-time ticket the callback hands the H5 app (in the URL fragment), exchanged for a session. */
export const oauthTicketRequestSchema = z
  .object({ ticket: z.string().trim().min(1, '缺少登录票据').max(128, '登录票据无效') })
  .strict();
export type OauthTicketRequest = z.infer<typeof oauthTicketRequestSchema>;

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
  /** One code per phone number this often, whoever asks. */
  resendSeconds: 60,
  /** Codes one mini-program user may ask for (any numbers) within the window. */
  perUserLimit: 5,
  perUserWindowSeconds: 15 * 60,
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
