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

/** Active staff of one role, by name (the pool's transfer picker: sales and managers). */
export async function listActiveStaffOfRole(role: 'sales' | 'manager'): Promise<StaffProfile[]> {
  return Staff.find({ role, active: true }, PROFILE).sort({ name: 1 }).limit(1000).lean<StaffProfile[]>();
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

/** What marketing needs to know of a contact's WeChat user (segments, distribution). */
export interface ContactWeChatState {
  contactId: string;
  wechatUserId: string;
  oaOpenid: string | null;
  subscribed: boolean;
  subscribedAt: Date | null;
  lastInteractionAt: Date | null;
}

type StateDoc = Pick<WeChatUserDoc, '_id' | 'contactId' | 'oaOpenid' | 'subscribed' | 'subscribedAt' | 'lastInteractionAt'>;
const STATE = { contactId: 1, oaOpenid: 1, subscribed: 1, subscribedAt: 1, lastInteractionAt: 1 } as const;
/** Of two WeChat users of one contact, the one a message reaches: a follower, then one with an Official Account openid. */
const reach = (doc: StateDoc) => (doc.subscribed && doc.oaOpenid ? 2 : doc.oaOpenid ? 1 : 0);

/**
 * The WeChat state of contacts (those given, or every contact some WeChat user verified as), one
 * WeChat user per contact. Read through one cursor, only these fields.
 */
export async function weChatStatesOfContacts(contactIds?: string[]): Promise<Map<string, ContactWeChatState>> {
  const states = new Map<string, ContactWeChatState & { rank: number }>();
  if (contactIds && contactIds.length === 0) return new Map();
  const filter = contactIds ? { contactId: { $in: contactIds } } : { contactId: { $ne: null } };
  const cursor = WeChatUser.find(filter, STATE).lean<StateDoc[]>().cursor({ batchSize: 2000 });
  for await (const doc of cursor as AsyncIterable<StateDoc>) {
    if (!doc.contactId) continue;
    const rank = reach(doc);
    const known = states.get(doc.contactId);
    if (known && known.rank >= rank) continue;
    states.set(doc.contactId, {
      contactId: doc.contactId,
      wechatUserId: doc._id,
      oaOpenid: doc.oaOpenid ?? null,
      subscribed: Boolean(doc.subscribed),
      subscribedAt: doc.subscribedAt ?? null,
      lastInteractionAt: doc.lastInteractionAt ?? null,
      rank,
    });
  }
  return new Map([...states].map(([id, { rank: _rank, ...state }]) => [id, state]));
}

/** Ids of the active staff members with one of `roles` (staff hand-outs of campaigns). */
export async function activeStaffIdsWithRoles(roles: readonly StaffDoc['role'][]): Promise<string[]> {
  const staff = await Staff.find({ role: { $in: roles }, active: true }, { _id: 1 }).lean<Array<Pick<StaffDoc, '_id'>>>();
  return staff.map((s) => String(s._id));
}
