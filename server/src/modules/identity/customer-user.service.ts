// The mini-program's view of a WeChat user with its links filled in: the contact (and customer) it
// verified as, and the staff member it is bound to by invite code.
import type { CustomerUser, StaffRole } from '@qiao/shared';
import mongoose from 'mongoose';
import { AppError } from '../../errors.js';
import { customerNames, findContact } from '../customers/lookup.service.js';
import { Staff, type StaffDoc } from './staff.model.js';
import type { WeChatUserDoc } from './wechat-user.model.js';
import { currentWeChatUser, toCustomerUser } from './wechat-user.service.js';
import { isObjectIdString } from '../../lib/db.js';

async function contactLink(contactId: string | null | undefined): Promise<CustomerUser['contact']> {
  if (!contactId || !isObjectIdString(contactId)) return null;
  const contact = await findContact(contactId);
  if (!contact) return null;
  const customerName = (await customerNames([String(contact.customerId)])).get(String(contact.customerId));
  return {
    id: String(contact._id),
    name: contact.name,
    phone: contact.phone,
    customerId: String(contact.customerId),
    customerName: customerName ?? '',
  };
}

async function staffLink(user: WeChatUserDoc): Promise<CustomerUser['staff']> {
  if (!user.staffId || !isObjectIdString(user.staffId)) return null;
  const staff = await Staff.findById(user.staffId).lean<StaffDoc>();
  // Only a live, two-sided binding counts (see resolveSession).
  if (!staff || !staff.active || staff.wechatUserId !== user._id) return null;
  return { id: String(staff._id), name: staff.name, role: staff.role as StaffRole };
}

/** customerUserSchema for a WeChat user, `contact` and `staff` looked up. */
export async function describeCustomerUser(user: WeChatUserDoc): Promise<CustomerUser> {
  const [contact, staff] = await Promise.all([contactLink(user.contactId), staffLink(user)]);
  // A contact that was deleted no longer verifies anyone.
  return { ...toCustomerUser(user, { contact, staff }), verified: contact !== null };
}

export async function loadCustomerUser(wechatUserId: string): Promise<CustomerUser> {
  const user = await currentWeChatUser(wechatUserId);
  if (!user) throw new AppError(401, 'SESSION_EXPIRED', '登录已失效，请重新登录');
  return describeCustomerUser(user);
}
