// Bearer sessions for staff (admin console) and customers (mini-program).
import { createHash, randomBytes } from 'node:crypto';
import { staffRoles, type StaffRole } from '@qiao/shared';
import mongoose from 'mongoose';
import type { Principal, StaffPrincipal } from './principal.js';
import { Session } from './session.model.js';
import { Staff, type StaffDoc } from './staff.model.js';
import { currentWeChatUser } from './wechat-user.service.js';
import { isObjectIdString } from '../../lib/db.js';

export const SESSION_LIFETIMES = {
  /** Console (password) sessions. */
  staffMs: 12 * 3600_000,
  /** Mini-program sessions of customers. */
  customerMs: 30 * 24 * 3600_000,
  /** A mini-program session acting as a bound staff member ends this long after its creation. */
  boundStaffMs: 7 * 24 * 3600_000,
};

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(kind: 'staff' | 'customer', subjectId: string, now = new Date()) {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + (kind === 'staff' ? SESSION_LIFETIMES.staffMs : SESSION_LIFETIMES.customerMs));
  await Session.create({ _id: hashToken(token), kind, subjectId, expiresAt });
  return { token, expiresAt };
}

export async function endSession(sessionId: string): Promise<void> {
  await Session.deleteOne({ _id: sessionId });
}

/**
 * Every session of a staff member ends: console sessions and the mini-program session of the
 * WeChat user bound to them (password changed or reset, deactivated, WeChat rebound). Sessions are
 * deleted, and `sessionsValidFrom` makes any session created before now invalid even if it was
 * being written while this ran — so reactivating the account revives nothing.
 */
export async function endStaffSessions(staffId: string, now = new Date()): Promise<void> {
  if (!isObjectIdString(staffId)) return;
  await Staff.updateOne({ _id: staffId }, { $set: { sessionsValidFrom: now } });
  const staff = await Staff.findById(staffId, { wechatUserId: 1 }).lean<Pick<StaffDoc, 'wechatUserId'>>();
  if (!staff) return;
  await Session.deleteMany({ kind: 'staff', subjectId: staffId });
  if (staff.wechatUserId) await endWeChatUserSessions(staff.wechatUserId);
}

/** The mini-program sessions of a WeChat user (they log in again, silently, with wx.login). */
export async function endWeChatUserSessions(wechatUserId: string): Promise<void> {
  await Session.deleteMany({ kind: 'customer', subjectId: wechatUserId });
}

const startedBefore = (session: { createdAt?: Date | null }, moment: Date | null | undefined) =>
  Boolean(moment && (!session.createdAt || session.createdAt < moment));

/** The caller behind a token, or null when the token is unknown, expired or its account disabled. */
export async function resolveSession(token: string, now = new Date()): Promise<Principal | null> {
  const sessionId = hashToken(token);
  const session = await Session.findById(sessionId).lean();
  if (!session || session.expiresAt <= now) return null;
  if (session.kind === 'customer') {
    // A WeChat user bound to an active staff member by invite code acts as that staff member in
    // the mini-program (engineer pages); unbound or disabled → an ordinary customer.
    // A session made before its WeChat user was merged into another acts as the survivor.
    const user = await currentWeChatUser(session.subjectId);
    if (!user) return null;
    const wechatUserId = user._id;
    const staff = user?.staffId && isObjectIdString(user.staffId) ? await activeStaff(user.staffId) : null;
    if (staff && staff.wechatUserId === wechatUserId) {
      // Acting as staff is shorter-lived than being a customer, and ends with the staff member's sessions.
      const age = now.getTime() - (session.createdAt?.getTime() ?? 0);
      if (age >= SESSION_LIFETIMES.boundStaffMs || startedBefore(session, staff.sessionsValidFrom)) return null;
      return { ...staffPrincipal(staff, sessionId), wechatUserId };
    }
    return { kind: 'customer', wechatUserId, sessionId };
  }

  // Role and status are read fresh: a disabled account or a changed role takes effect at once.
  const staff = await activeStaff(session.subjectId);
  return staff && !startedBefore(session, staff.sessionsValidFrom) ? staffPrincipal(staff, sessionId) : null;
}

async function activeStaff(staffId: string): Promise<StaffDoc | null> {
  const staff = await Staff.findById(staffId).lean<StaffDoc>();
  if (!staff || !staff.active || !staffRoles.includes(staff.role as StaffRole)) return null;
  return staff;
}

function staffPrincipal(staff: StaffDoc, sessionId: string): StaffPrincipal {
  return { kind: 'staff', staffId: String(staff._id), role: staff.role as StaffRole, department: staff.department ?? null, sessionId };
}

/** Expired sessions are removed by a job: FerretDB has no TTL indexes. */
export async function deleteExpiredSessions(now = new Date()): Promise<number> {
  const result = await Session.deleteMany({ expiresAt: { $lte: now } });
  return result.deletedCount;
}
