// What other modules read of staff members and WeChat users — by id, batched so a list page costs
// one query per kind. They never touch this module's models.
import { isObjectIdString } from '../../lib/db.js';
import { searchFilter } from '../../lib/query.js';
import { Staff, type StaffDoc } from './staff.model.js';
import { WeChatUser, type WeChatUserDoc } from './wechat-user.model.js';
import { currentWeChatUser } from './wechat-user.service.js';

export interface StaffCard {
  id: string;
  name: string;
  phone: string;
}

/** Staff members' names and phones by id, in one query. */
export async function staffByIds(ids: Iterable<string | null | undefined>): Promise<Map<string, StaffCard>> {
  const unique = [...new Set([...ids].filter((id): id is string => isObjectIdString(id)))];
  if (unique.length === 0) return new Map();
  const staff = await Staff.find({ _id: { $in: unique } }, { name: 1, phone: 1 }).lean<Array<Pick<StaffDoc, '_id' | 'name' | 'phone'>>>();
  return new Map(staff.map((s) => [String(s._id), { id: String(s._id), name: s.name, phone: s.phone ?? '' }]));
}

/** A staff member as dispatching sees them: no credentials. */
export type StaffProfile = Pick<StaffDoc, '_id' | 'name' | 'role' | 'department' | 'phone' | 'regions' | 'productLines' | 'active'>;
const PROFILE = { name: 1, role: 1, department: 1, phone: 1, regions: 1, productLines: 1, active: 1 } as const;

export async function findStaffProfile(id: string): Promise<StaffProfile | null> {
  return isObjectIdString(id) ? Staff.findById(id, PROFILE).lean<StaffProfile>() : null;
}

export async function listActiveEngineers(): Promise<StaffProfile[]> {
  return Staff.find({ role: 'engineer', active: true }, PROFILE).lean<StaffProfile[]>();
}

/** The contact a WeChat user verified as, if any. */
export async function contactIdOfWeChatUser(wechatUserId: string): Promise<string | null> {
  const user = await WeChatUser.findById(wechatUserId, { contactId: 1 }).lean<Pick<WeChatUserDoc, 'contactId'>>();
  return user?.contactId ?? null;
}

/**
 * Whose service requests a customer sees: those they submitted (also through a record merged into
 * theirs) and every request of the contact they verified as, whichever WeChat record submitted it.
 */
export interface CustomerOwnership {
  wechatUserIds: string[];
  contactId: string | null;
}

export async function customerOwnership(wechatUserId: string): Promise<CustomerOwnership> {
  const user = await currentWeChatUser(wechatUserId);
  if (!user) return { wechatUserIds: [wechatUserId], contactId: null };
  return { wechatUserIds: [...new Set([wechatUserId, user._id, ...(user.mergedIds ?? [])])], contactId: user.contactId ?? null };
}

/** Of `contactIds`, those some WeChat user verified as. */
export async function contactIdsWithWeChatUser(contactIds: string[]): Promise<Set<string>> {
  if (contactIds.length === 0) return new Set();
  const users = await WeChatUser.find({ contactId: { $in: contactIds } }, { contactId: 1 }).lean<Array<Pick<WeChatUserDoc, 'contactId'>>>();
  return new Set(users.flatMap((user) => (user.contactId ? [user.contactId] : [])));
}

/** A deleted or re-numbered contact no longer verifies anyone. */
export async function unlinkContactFromWeChatUsers(contactId: string): Promise<void> {
  await WeChatUser.updateMany({ contactId }, { $set: { contactId: null } });
}

export interface WeChatRecipient {
  id: string;
  oaOpenid: string | null;
  mpOpenid: string | null;
  /** Follows the Official Account. */
  subscribed: boolean;
}

const RECIPIENT = { oaOpenid: 1, mpOpenid: 1, subscribed: 1 } as const;
type RecipientDoc = Pick<WeChatUserDoc, '_id' | 'oaOpenid' | 'mpOpenid' | 'subscribed'>;
const toRecipient = (user: RecipientDoc): WeChatRecipient => ({
  id: user._id,
  oaOpenid: user.oaOpenid ?? null,
  mpOpenid: user.mpOpenid ?? null,
  subscribed: Boolean(user.subscribed),
});

/** Where a WeChat user can be reached. */
export async function findWeChatRecipient(wechatUserId: string): Promise<WeChatRecipient | null> {
  const user = await WeChatUser.findById(wechatUserId, RECIPIENT).lean<RecipientDoc>();
  return user ? toRecipient(user) : null;
}

/** The WeChat users verified as any of `contactIds`. */
export async function weChatRecipientsOfContacts(contactIds: string[]): Promise<WeChatRecipient[]> {
  if (contactIds.length === 0) return [];
  const users = await WeChatUser.find({ contactId: { $in: contactIds } }, RECIPIENT).lean<RecipientDoc[]>();
  return users.map(toRecipient);
}

/** The WeChat user a staff member bound by invite code, if any. */
export async function weChatRecipientOfStaff(staffId: string): Promise<WeChatRecipient | null> {
  if (!isObjectIdString(staffId)) return null;
  const staff = await Staff.findById(staffId, { wechatUserId: 1 }).lean<Pick<StaffDoc, 'wechatUserId'>>();
  return staff?.wechatUserId ? findWeChatRecipient(staff.wechatUserId) : null;
}

/** Staff members whose name contains `q` (at most `limit`): the spread module's search by person. */
export async function staffIdsByName(q: string, limit = 200): Promise<string[]> {
  const staff = await Staff.find(searchFilter(q, ['name']), { _id: 1 }).limit(limit).lean<Array<Pick<StaffDoc, '_id'>>>();
  return staff.map((s) => String(s._id));
}
