// Mini-program login: wx.login code → jscode2session → a customer session bound to the WeChat user.
import type { CustomerSession } from '@qiao/shared';
import { AppError, badRequest } from '../../errors.js';
import { describeCustomerUser, loadCustomerUser } from './customer-user.service.js';
import { createSession } from './session.service.js';
import { resolveWeChatUser } from './wechat-user.service.js';

export interface MiniProgramSessionSource {
  code2Session(code: string): Promise<{ openid: string; unionid?: string }>;
}

/** jscode2session errors that mean "this code is no good" rather than "WeChat is down". */
const BAD_CODE_ERRCODES = new Set([40029, 40163, 40226]);

export async function loginCustomer(code: string, wechat: MiniProgramSessionSource): Promise<CustomerSession> {
  let identity: { openid: string; unionid?: string };
  try {
    identity = await wechat.code2Session(code);
  } catch (error) {
    const errcode = (error as { errcode?: number }).errcode;
    if (errcode !== undefined && BAD_CODE_ERRCODES.has(errcode)) {
      throw badRequest('WECHAT_LOGIN_CODE_INVALID', '登录凭证无效或已过期，请重新打开小程序');
    }
    throw new AppError(502, 'WECHAT_UNAVAILABLE', '微信服务暂时不可用，请稍后重试');
  }
  const user = await resolveWeChatUser('mp', identity.openid, identity.unionid ?? null);
  const session = await createSession('customer', user._id);
  return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: await describeCustomerUser(user) };
}

/** The mini-program user with contact and staff filled in (GET /me). */
export async function getCustomerUser(wechatUserId: string) {
  return loadCustomerUser(wechatUserId);
}
