// Staff (职员) management, engineers' service areas, and binding a staff member's WeChat by invite code.
import { z } from 'zod';
import { phoneSchema, requiredText, searchQuerySchema } from './common.js';
import { newPasswordSchema, staffRoles, usernameSchema } from './identity.js';
import { departmentRefSchema } from './org.js';
import { pageQuerySchema } from './paging.js';

const tags = (label: string) => z.array(requiredText(50, label)).max(30, `${label}最多 30 项`).default([]);

export const staffCreateSchema = z
  .object({
    username: usernameSchema,
    name: requiredText(50, '姓名'),
    password: newPasswordSchema,
    role: z.enum(staffRoles, { message: '请选择角色' }),
    /** The department's id, or '' for none. */
    department: departmentRefSchema,
    phone: z.union([phoneSchema, z.literal('')]).default(''),
    /** Engineers: regions (地区) and product lines (产品线) they serve. */
    regions: tags('服务地区'),
    productLines: tags('产品线'),
  })
  .strict();
export type StaffCreate = z.infer<typeof staffCreateSchema>;

export const staffUpdateSchema = staffCreateSchema
  .omit({ username: true, password: true })
  .extend({
    password: newPasswordSchema.optional(),
    active: z.boolean().default(true),
  })
  .strict();
export type StaffUpdate = z.infer<typeof staffUpdateSchema>;

export const staffMemberSchema = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  role: z.enum(staffRoles),
  department: z.string(),
  departmentName: z.string(),
  phone: z.string(),
  regions: z.array(z.string()),
  productLines: z.array(z.string()),
  active: z.boolean(),
  /** Bound to a WeChat user (can use the engineer pages of the mini-program). */
  wechatBound: z.boolean(),
  /** 在办工单: work orders assigned to them and not finished (待接单, 已接单, 处理中) — the load that ranks dispatch suggestions. */
  openWorkOrders: z.number().int(),
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const staffListQuerySchema = pageQuerySchema
  .extend({ q: searchQuerySchema, role: z.enum(staffRoles).optional() })
  .strict();
export type StaffListQuery = z.infer<typeof staffListQuerySchema>;

export const inviteCodeSchema = z.object({ code: z.string(), expiresAt: z.string() });
export type InviteCode = z.infer<typeof inviteCodeSchema>;

/** Mini-program: a staff member enters the invite code shown in the console. */
export const staffBindingRequestSchema = z
  .object({ inviteCode: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{8}$/, '邀请码为 8 位字母或数字') })
  .strict();
export type StaffBindingRequest = z.infer<typeof staffBindingRequestSchema>;

/** An active engineer as colleagues see them: enough to transfer work or ask for help. */
export const colleagueSchema = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string(),
  department: z.string(),
  regions: z.array(z.string()),
  productLines: z.array(z.string()),
  openWorkOrders: z.number().int(),
});
export type Colleague = z.infer<typeof colleagueSchema>;
export const colleagueListSchema = z.object({ items: z.array(colleagueSchema) });

/** A WeChat binding of a staff member, for the console (a replaced binding may be a takeover). */
export const staffBindingEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  /** It replaced an earlier WeChat, which was unbound (both were notified). */
  replaced: z.boolean(),
  /** Name of the staff member who issued the invite code. */
  issuedBy: z.string(),
});
export type StaffBindingEvent = z.infer<typeof staffBindingEventSchema>;
export const staffBindingEventListSchema = z.object({ items: z.array(staffBindingEventSchema) });
