import { loginRequestSchema, mpLoginRequestSchema } from '@qiao/shared';
import { requireStaffPrincipal, requireWeChatUserId } from '../../http/auth.js';
import type { ApiRoutes } from '../../http/route.js';
import { getCustomerUser, loginCustomer, type MiniProgramSessionSource } from './customer-login.service.js';
import { endSession } from './session.service.js';
import { getStaffUser, login } from './staff.service.js';

export function authRoutes(api: ApiRoutes, deps: { miniProgram: MiniProgramSessionSource }): void {
  api.add({
    method: 'post',
    path: '/api/v1/auth/login',
    access: 'public',
    summary: '职员登录（账号 + 密码）',
    body: loginRequestSchema,
    handler: ({ body, ctx }) => login(body, ctx.ip),
  });
  api.add({
    method: 'get',
    path: '/api/v1/auth/me',
    access: { staff: 'any' },
    summary: '当前登录职员',
    handler: async ({ principal }) => ({ user: await getStaffUser(requireStaffPrincipal(principal).staffId) }),
  });
  api.add({
    method: 'post',
    path: '/api/v1/auth/logout',
    access: { staff: 'any', customer: true },
    summary: '退出登录（控制台与小程序会话）',
    handler: async ({ principal }) => {
      if (principal) await endSession(principal.sessionId);
    },
  });
  api.add({
    method: 'post',
    path: '/api/v1/auth/mp-login',
    access: 'public',
    summary: '小程序登录（wx.login 凭证）',
    body: mpLoginRequestSchema,
    handler: ({ body }) => loginCustomer(body.code, deps.miniProgram),
  });
  api.add({
    method: 'get',
    path: '/api/v1/me',
    access: 'wechat',
    summary: '当前小程序用户',
    handler: async ({ principal }) => ({ user: await getCustomerUser(requireWeChatUserId(principal)) }),
  });
}
