// Bearer-token authentication and role checks for API routes.
import type { Context } from 'koa';
import { forbidden, unauthorized } from '../errors.js';
import { resolveSession } from '../modules/identity/session.service.js';
import type { Principal, StaffPrincipal, CustomerPrincipal } from '../modules/identity/principal.js';
import type { Access } from './route.js';

export function bearerToken(ctx: Context): string | undefined {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/i.exec(header);
  return match?.[1];
}

/** Resolves the caller for a route's access rule; throws 401/403 when it does not fit. */
export async function authenticate(ctx: Context, access: Access): Promise<Principal | null> {
  if (access === 'public') return null;
  const token = bearerToken(ctx);
  if (!token) throw unauthorized('UNAUTHENTICATED', '请先登录');
  const principal = await resolveSession(token);
  if (!principal) throw unauthorized('SESSION_EXPIRED', '登录已失效，请重新登录');

  if (access === 'customer') {
    if (principal.kind !== 'customer') throw forbidden('CUSTOMER_ONLY', '该功能仅供客户使用');
    return principal;
  }
  if (access === 'wechat') {
    if (principal.kind === 'customer' || principal.wechatUserId) return principal;
    throw forbidden('WECHAT_ONLY', '请在小程序中使用该功能');
  }
  if (principal.kind === 'customer') {
    if (access.customer) return principal;
    throw forbidden('STAFF_ONLY', '该功能仅供企业职员使用');
  }
  if (access.staff !== 'any' && principal.role !== 'admin' && !access.staff.includes(principal.role)) {
    throw forbidden('FORBIDDEN', '没有权限执行此操作');
  }
  return principal;
}

export function requireStaffPrincipal(principal: Principal | null): StaffPrincipal {
  if (principal?.kind !== 'staff') throw unauthorized('UNAUTHENTICATED', '请先登录');
  return principal;
}

export function requireCustomerPrincipal(principal: Principal | null): CustomerPrincipal {
  if (principal?.kind !== 'customer') throw unauthorized('UNAUTHENTICATED', '请先登录');
  return principal;
}

/** The WeChat user behind a mini-program session (a customer, or a staff member bound by invite code). */
export function requireWeChatUserId(principal: Principal | null): string {
  const wechatUserId = principal?.wechatUserId;
  if (!wechatUserId) throw unauthorized('UNAUTHENTICATED', '请先登录');
  return wechatUserId;
}
