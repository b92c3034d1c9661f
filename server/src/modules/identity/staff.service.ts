// Staff accounts: login with lockout, the first admin account, and the public view of a staff member.
import type { LoginRequest, StaffRole, StaffSession, StaffUser } from '@qiao/shared';
import { AppError, unauthorized } from '../../errors.js';
import { isDuplicateKey } from '../../lib/db.js';
import type { Logger } from '../../logger.js';
import { dummyPasswordHash, hashPassword, randomPassword, verifyPassword } from './password.js';
import { createSession } from './session.service.js';
import { Staff, type StaffDoc } from './staff.model.js';

export const LOGIN_POLICY = {
  /** Failed attempts within the window that lock the account. */
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

export function toStaffUser(staff: Pick<StaffDoc, '_id' | 'username' | 'name' | 'role' | 'department'>): StaffUser {
  return {
    id: String(staff._id),
    username: staff.username,
    name: staff.name,
    role: staff.role as StaffRole,
    department: staff.department ?? null,
  };
}

const invalidCredentials = () => unauthorized('INVALID_CREDENTIALS', '账号或密码错误');

function lockedError(until: Date, now: Date): AppError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new AppError(423, 'ACCOUNT_LOCKED', `登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试`);
}

export async function login({ username, password }: LoginRequest, now = new Date()): Promise<StaffSession> {
  const staff = await Staff.findOne({ username: username.toLowerCase() });
  if (!staff || !staff.active) {
    await verifyPassword(password, await dummyPasswordHash());
    throw invalidCredentials();
  }
  if (staff.lockedUntil && staff.lockedUntil > now) throw lockedError(staff.lockedUntil, now);

  if (!(await verifyPassword(password, staff.passwordHash))) {
    const recent = staff.lastFailedLoginAt && now.getTime() - staff.lastFailedLoginAt.getTime() < LOGIN_POLICY.windowMs;
    const failures = (recent ? staff.failedLogins : 0) + 1;
    if (failures >= LOGIN_POLICY.maxFailures) {
      const lockedUntil = new Date(now.getTime() + LOGIN_POLICY.lockMs);
      await Staff.updateOne({ _id: staff._id }, { $set: { failedLogins: 0, lastFailedLoginAt: now, lockedUntil } });
      throw lockedError(lockedUntil, now);
    }
    await Staff.updateOne({ _id: staff._id }, { $set: { failedLogins: failures, lastFailedLoginAt: now } });
    throw invalidCredentials();
  }

  await Staff.updateOne(
    { _id: staff._id },
    { $set: { failedLogins: 0, lastFailedLoginAt: null, lockedUntil: null, lastLoginAt: now } },
  );
  const session = await createSession('staff', String(staff._id), now);
  return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: toStaffUser(staff) };
}

export async function getStaffUser(staffId: string): Promise<StaffUser> {
  const staff = await Staff.findById(staffId).lean();
  if (!staff) throw unauthorized('SESSION_EXPIRED', '登录已失效，请重新登录');
  return toStaffUser(staff);
}

export interface NewStaff {
  username: string;
  name: string;
  password: string;
  role: StaffRole;
  department?: string | null;
  phone?: string | null;
}

export async function createStaff(input: NewStaff): Promise<StaffUser> {
  const staff = await Staff.create({
    username: input.username.toLowerCase(),
    name: input.name,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    department: input.department ?? null,
    phone: input.phone ?? null,
  });
  return toStaffUser(staff);
}

/**
 * On first start with no staff at all, create `admin` with QIAO_ADMIN_PASSWORD or a random
 * password that is printed once. Two processes starting together: the unique username wins once.
 */
export async function ensureInitialAdmin(configuredPassword: string | undefined, logger: Logger): Promise<void> {
  if ((await Staff.countDocuments({})) > 0) return;
  const password = configuredPassword ?? randomPassword();
  try {
    await createStaff({ username: 'admin', name: '系统管理员', password, role: 'admin' });
  } catch (error) {
    if (isDuplicateKey(error)) return;
    throw error;
  }
  if (configuredPassword) {
    logger.info('created the admin account with the password from QIAO_ADMIN_PASSWORD');
  } else {
    // Printed once, on purpose: this is the only way to learn the generated password.
    logger.warn({ username: 'admin', initialPassword: password }, 'created the admin account with a generated password — note it now, it is not shown again');
  }
}
