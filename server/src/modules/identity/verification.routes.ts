// Identity verification in the mini-program: ask for an SMS code, verify, unbind.
import { customerUserSchema, verificationCodeRequestSchema, verificationCodeResponseSchema, verificationRequestSchema } from '@qiao/shared';
import { z } from 'zod';
import { requireCustomerPrincipal } from '../../http/auth.js';
import type { ApiRoutes } from '../../http/route.js';
import type { SmsSender } from './sms.js';
import { requestVerificationCode, unbindVerification, verifyCode } from './verification.service.js';

export function verificationRoutes(api: ApiRoutes, deps: { sms: SmsSender }): void {
  api.add({
    method: 'post',
    path: '/api/v1/me/verification/code',
    access: 'customer',
    summary: '获取身份验证短信验证码',
    response: verificationCodeResponseSchema,
    body: verificationCodeRequestSchema,
    handler: ({ principal, body }) =>
      requestVerificationCode({ phone: body.phone, wechatUserId: requireCustomerPrincipal(principal).wechatUserId }, deps.sms),
  });
  api.add({
    method: 'post',
    path: '/api/v1/me/verification',
    access: 'customer',
    summary: '提交验证码，完成身份验证',
    response: z.object({ user: customerUserSchema }),
    body: verificationRequestSchema,
    handler: ({ principal, body }) =>
      verifyCode({ phone: body.phone, code: body.code, wechatUserId: requireCustomerPrincipal(principal).wechatUserId }),
  });
  api.add({
    method: 'delete',
    path: '/api/v1/me/verification',
    access: 'customer',
    summary: '解除身份绑定',
    response: z.object({ user: customerUserSchema }),
    handler: ({ principal }) => unbindVerification(requireCustomerPrincipal(principal).wechatUserId),
  });
}
