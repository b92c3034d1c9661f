// Binding a staff member's WeChat by invite code: the console issues a code for a staff member
// (valid 7 days, once); the staff member enters it in the mini-program. One WeChat user is bound
// to at most one staff member and vice versa — binding again replaces the old pairing.
//
// Who may issue a code: managesStaff (staff-scope.ts). A member whose WeChat is already bound can
// only be re-bound with a code from an admin, and both WeChat users hear about the change.
import { randomInt } from 'node:crypto';
import type { CustomerUser, InviteCode as InviteCodeView, StaffBindingEvent as StaffBindingEventView, StaffRole } from '@qiao/shared';
import { badRequest, forbidden } from '../../errors.js';
import type { JobQueue } from '../../jobs/runner.js';
import type { Logger } from '../../logger.js';
import { enqueueTemplateNotice } from '../notifications/notification.jobs.js';
import { phrase, thing, time } from '../notifications/template-values.js';
import type { StaffPrincipal } from './principal.js';
import { isDuplicateKey } from '../../lib/db.js';
import { findOnce, takeOnce } from '../../lib/once.js';
import { loadCustomerUser } from './customer-user.service.js';
import { InviteCode, type InviteCodeDoc } from './invite-code.model.js';
import { endWeChatUserSessions } from './session.service.js';
import { findStaffDoc } from './staff-admin.service.js';
import { StaffBindingEvent, type StaffBindingEventDoc } from './staff-binding-event.model.js';
import { managesStaff } from './staff-scope.js';
import { Staff, type StaffDoc } from './staff.model.js';
import { WeChatUser, type WeChatUserDoc } from './wechat-user.model.js';

/** How binding changes reach the WeChat users involved (Official Account template message). */
export interface StaffBindingNotices {
  jobs: JobQueue;
  logger: Logger;
  /** config.wechat.templates.staffBinding: thing1 staff name, phrase2 change, time3, thing4 remark. */
  bindingTemplateId: string;
}

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

const alreadyBound = () =>
  forbidden('STAFF_ALREADY_BOUND', '该职员已绑定微信，更换绑定的微信需由系统管理员生成邀请码');

/**
 * A new invite code for a staff member the issuer manages; earlier unused codes of that member
 * stop working. Only admin may invite staff of other roles than engineer (a bound WeChat acts
 * with the member's role in the mini-program) or re-bind a member whose WeChat is bound.
 */
export async function issueInviteCode(staffId: string, issuer: StaffPrincipal, now = new Date()): Promise<InviteCodeView> {
  const staff = await findStaffDoc(staffId);
  if (!staff.active) throw badRequest('STAFF_INACTIVE', '该职员账号已停用，不能生成邀请码');
  if (!(await managesStaff(issuer, staff))) {
    throw staff.role === 'engineer'
      ? forbidden('STAFF_NOT_MANAGED', '只能为本部门的服务工程师生成邀请码')
      : forbidden('FORBIDDEN', '只有系统管理员可以为服务工程师以外的职员生成邀请码');
  }
  if (issuer.role !== 'admin' && staff.wechatUserId) throw alreadyBound();
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

async function issuerIsAdmin(issuerId: string): Promise<boolean> {
  const issuer = await Staff.findById(issuerId, { role: 1, active: 1 }).lean<Pick<StaffDoc, 'role' | 'active'>>().catch(() => null);
  return Boolean(issuer?.active && (issuer.role as StaffRole) === 'admin');
}

/** POST /me/staff-binding: the WeChat user becomes the staff member of the code. */
export async function bindStaffByInviteCode(
  wechatUserId: string,
  inviteCode: string,
  options: { now?: Date; notices?: StaffBindingNotices } = {},
): Promise<{ user: CustomerUser }> {
  const now = options.now ?? new Date();
  const code = inviteCode.trim().toUpperCase();
  const invite = await InviteCode.findById(code).lean<InviteCodeDoc>();
  if (!invite) throw inviteInvalid();
  if (invite.usedAt) throw badRequest('INVITE_CODE_USED', '邀请码已被使用，请向管理员重新获取');
  if (invite.expiresAt.getTime() <= now.getTime()) throw badRequest('INVITE_CODE_EXPIRED', '邀请码已过期，请向管理员重新获取');
  const staff = await Staff.findById(invite.staffId).lean();
  if (!staff || !staff.active) throw inviteInvalid();
  // Bound since the code was issued: replacing that WeChat still takes an admin's code.
  const replacing = staff.wechatUserId && staff.wechatUserId !== wechatUserId ? staff.wechatUserId : null;
  if (replacing && !(await issuerIsAdmin(invite.createdBy))) throw alreadyBound();

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
  if (replacing) {
    await WeChatUser.updateOne({ _id: replacing, staffId }, { $set: { staffId: null } });
    // The old WeChat's mini-program session acted as this staff member: it ends.
    await endWeChatUserSessions(replacing);
  }
  await WeChatUser.updateOne({ _id: wechatUserId }, { $set: { staffId } });
  await Staff.updateOne({ _id: staff._id }, { $set: { wechatUserId } });
  // One event, and one pair of notices, per code however often a cut-off bind is retried.
  let recorded = true;
  try {
    await StaffBindingEvent.create({ staffId, wechatUserId, previousWechatUserId: replacing, inviteCode: code, issuedBy: invite.createdBy, at: now });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    recorded = false;
  }
  if (recorded && replacing && options.notices) await noticeRebinding(options.notices, staff.name, replacing, wechatUserId, now);
  await InviteCode.updateOne({ _id: code }, { $set: { usedAt: now, usedBy: wechatUserId } });
  return { user: await loadCustomerUser(wechatUserId) };
}

/** Both WeChat users hear that the staff account changed hands (if they follow the Official Account). */
async function noticeRebinding(notices: StaffBindingNotices, staffName: string, oldUser: string, newUser: string, at: Date): Promise<void> {
  const message = (change: string, remark: string, wechatUserId: string) => ({
    wechatUserId,
    reason: 'staff.rebound',
    message: {
      template_id: notices.bindingTemplateId,
      client_msg_id: `staff-binding-${wechatUserId}-${at.getTime()}`,
      data: {
        thing1: { value: thing(`职员账号 ${staffName}`) },
        phrase2: { value: phrase(change) },
        time3: { value: time(at) },
        thing4: { value: thing(remark) },
      },
    },
  });
  await enqueueTemplateNotice(notices.jobs, notices.logger, message('已解绑', '已被另一微信绑定，如非本人请联系管理员', oldUser));
  await enqueueTemplateNotice(notices.jobs, notices.logger, message('已绑定', '原绑定的微信已被解除', newUser));
}

/** The binding history of a staff member, newest first (console: who bound which WeChat when). */
export async function listBindingEvents(staffId: string, viewer: StaffPrincipal): Promise<{ items: StaffBindingEventView[] }> {
  const staff = await findStaffDoc(staffId);
  if (!(await managesStaff(viewer, staff))) throw forbidden('STAFF_NOT_MANAGED', '只能查看本部门（含下级部门）服务工程师的绑定记录');
  const docs = await StaffBindingEvent.find({ staffId: String(staff._id) }).sort({ at: -1 }).limit(50).lean<StaffBindingEventDoc[]>();
  const issuerIds = [...new Set(docs.map((doc) => doc.issuedBy))];
  const issuers = await Staff.find({ _id: { $in: issuerIds } }, { name: 1 }).lean<Array<{ _id: unknown; name: string }>>();
  const names = new Map(issuers.map((issuer) => [String(issuer._id), issuer.name]));
  return {
    items: docs.map((doc) => ({
      id: String(doc._id),
      at: doc.at.toISOString(),
      replaced: Boolean(doc.previousWechatUserId),
      issuedBy: names.get(doc.issuedBy) ?? '',
    })),
  };
}

/** Invite codes past their week (FerretDB has no TTL indexes). */
export async function deleteExpiredInviteCodes(now = new Date()): Promise<number> {
  const result = await InviteCode.deleteMany({ expiresAt: { $lte: now } });
  return result.deletedCount;
}
