import Taro from '@tarojs/taro';
import type { CustomerUser } from '@qiao/shared';

/** Every page of the mini-program (keep in step with app.config.ts). */
export const routes = {
  index: '/pages/index/index',
  me: '/pages/me/index',
  verify: '/pages/verify/index',
  devices: '/pages/devices/index',
  feedbackNew: '/pages/feedback/new',
  feedbackDetail: '/pages/feedback/detail',
  engineerOrders: '/pages/engineer/orders',
  engineerOrder: '/pages/engineer/order',
  campaign: '/pages/campaign/index',
  myCampaigns: '/pages/my-campaigns/index',
} as const;

/** Where an unverified customer goes after verifying (`?next=`). */
export type AfterVerify = 'feedback' | 'devices';

export function withQuery(path: string, query: Record<string, string | undefined>): string {
  const parts = Object.entries(query)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`);
  return parts.length > 0 ? `${path}?${parts.join('&')}` : path;
}

export function open(url: string): void {
  void Taro.navigateTo({ url }).catch(() => Taro.redirectTo({ url }));
}

/** Staff bound by invite code use the engineer pages; everyone else the customer pages. */
export function homeOf(user: CustomerUser): string {
  return user.staff ? routes.engineerOrders : routes.index;
}

/** Sends an unverified customer to 身份验证 (replacing the current page); true when it did. */
export function requireVerified(user: CustomerUser, next: AfterVerify): boolean {
  if (user.verified) return false;
  void Taro.redirectTo({ url: withQuery(routes.verify, { next }) });
  return true;
}

/** Tap-to-call; a cancelled call is not an error. */
export function callPhone(phone: string): void {
  if (!phone) return;
  void Taro.makePhoneCall({ phoneNumber: phone }).catch(() => undefined);
}

export function toast(title: string): void {
  void Taro.showToast({ title, icon: 'none', duration: 2500 });
}

/** A page parameter: weapp hands them over still URL-encoded, H5 decoded. */
export function param(value: string | undefined): string {
  if (!value) return '';
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
