// Binding a staff member's WeChat by invite code: the console issues a code for a staff member
// (valid 7 days, once); the staff member enters it in the mini-program. One WeChat user is bound
// to at most one staff member and vice versa — binding again replaces the old pairing.
import { randomInt } from 'node:crypto';
import type { CustomerUser, InviteCode as InviteCodeView } from '@qiao/shared';
import { badRequest, forbidden } from '../../errors.js';
import type { StaffPrincipal } from './principal.js';
import { isDuplicateKey } from '../../lib/db.js';
import { findOnce, takeOnce } from '../../lib/once.js';
import { loadCustomerUser } from './customer-user.service.js';
import { InviteCode, type InviteCodeDoc } from './invite-code.model.js';
import { findStaffDoc } from './staff-admin.service.js';
import { Staff } from './staff.model.js';
import { WeChatUser, type WeChatUserDoc } from './wechat-user.model.js';

export const INVITE_RULES = {
  length: 8,
  /** A–Z and 2–9 without the look-alikes 0/O, 1/I/L. */
  alphabet: 'ABCDEFGHJKMNPQRSTUVWXYZ23456789',
  ttlMs: 7 * 24 * 3600_000,
} as const;

export function generateInviteCode(): string {
  let code = '';
  for (let i = 0; i < INVITE_RULES.length; i += 1) code += INVITE_RULES.alphabet[randomInt(INVITE_RULES.alphabet.length)];
  return code;
}

/**
 * A new invite code for a staff member; earlier unused codes of that member stop working.
 * Only admin may invite staff of other roles than engineer (a bound WeChat acts with the
 * member's role in the mini-program).
 */
export async function issueInviteCode(staffId: string, issuer: StaffPrincipal, now = new Date()): Promise<InviteCodeView> {
  const staff = await findStaffDoc(staffId);
  if (!staff.active) throw badRequest('STAFF_INACTIVE', '该职员账号已停用，不能生成邀请码');
  if (issuer.role !== 'admin' && staff.role !== 'engineer') {
    throw forbidden('FORBIDDEN', '只有系统管理员可以为服务工程师以外的职员生成邀请码');
  }
  await InviteCode.deleteMany({ staffId: String(staff._id), usedAt: null });
  const expiresAt = new Date(now.getTime() + INVITE_RULES.ttlMs);
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const code = generateInviteCode();
    try {
      await InviteCode.create({ _id: code, staffId: String(staff._id), createdBy: issuer.staffId, createdAt: now, expiresAt });
      return { code, expiresAt: expiresAt.toISOString() };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
  throw new Error('could not find a free invite code');
}

const inviteInvalid = () => badRequest('INVITE_CODE_INVALID', '邀请码无效，请核对后重新输入');

/** POST /me/staff-binding: the WeChat user becomes the staff member of the code. */
export async function bindStaffByInviteCode(wechatUserId: string, inviteCode: string, now = new Date()): Promise<{ user: CustomerUser }> {
  const code = inviteCode.trim().toUpperCase();
  const invite = await InviteCode.findById(code).lean<InviteCodeDoc>();
  if (!invite) throw inviteInvalid();
  if (invite.usedAt) throw badRequest('INVITE_CODE_USED', '邀请码已被使用，请向管理员重新获取');
  if (invite.expiresAt.getTime() <= now.getTime()) throw badRequest('INVITE_CODE_EXPIRED', '邀请码已过期，请向管理员重新获取');
  const staff = await Staff.findById(invite.staffId).lean();
  if (!staff || !staff.active) throw inviteInvalid();

  // Only once (docs/only-once.md): the code is this WeChat user's if they inserted its claim. It is
  // marked used after the binding is written, so their own retry after a crash finishes the binding.
  const keepMs = Math.max(0, invite.expiresAt.getTime() - now.getTime()) + 3600_000;
  const claimKey = `invite:${code}`;
  if (!(await takeOnce(claimKey, { keepMs, data: { wechatUserId }, now })) && (await findOnce(claimKey))?.data?.wechatUserId !== wechatUserId) {
    throw badRequest('INVITE_CODE_USED', '邀请码已被使用，请向管理员重新获取');
  }

  const staffId = String(staff._id);
  const user = await WeChatUser.findById(wechatUserId, { staffId: 1 }).lean<Pick<WeChatUserDoc, 'staffId'>>();
  // Undo the old pairings on both sides (only where they still point at each other).
  if (user?.staffId && user.staffId !== staffId) {
    await Staff.updateOne({ _id: user.staffId, wechatUserId }, { $set: { wechatUserId: null } });
  }
  if (staff.wechatUserId && staff.wechatUserId !== wechatUserId) {
    await WeChatUser.updateOne({ _id: staff.wechatUserId, staffId }, { $set: { staffId: null } });
  }
  await WeChatUser.updateOne({ _id: wechatUserId }, { $set: { staffId } });
  await Staff.updateOne({ _id: staff._id }, { $set: { wechatUserId } });
  await InviteCode.updateOne({ _id: code }, { $set: { usedAt: now, usedBy: wechatUserId } });
  return { user: await loadCustomerUser(wechatUserId) };
}

/** Invite codes past their week (FerretDB has no TTL indexes). */
export async function deleteExpiredInviteCodes(now = new Date()): Promise<number> {
  const result = await InviteCode.deleteMany({ expiresAt: { $lte: now } });
  return result.deletedCount;
}
