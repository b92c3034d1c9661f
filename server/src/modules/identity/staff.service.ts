// Staff accounts: login with lockout, the first admin account, and the public view of a staff member.
import { passwordProblem, type LoginRequest, type StaffRole, type StaffSession, type StaffUser } from '@qiao/shared';
import { unauthorized } from '../../errors.js';
import { ConfigError } from '../../config.js';
import { isDuplicateKey } from '../../lib/db.js';
import type { Logger } from '../../logger.js';
import { admitLoginAttempt, recordLoginFailure, recordLoginSuccess, refuseWhenHashingIsBusy } from './login-guard.js';
import { dummyPasswordHash, hashPassword, randomPassword, verifyPassword } from './password.js';
import { createSession } from './session.service.js';
import { Staff, type StaffDoc } from './staff.model.js';

export { LOGIN_POLICY } from './login-guard.js';

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

/**
 * Password login. `address` is the client's address (throttled per address). Lockout and
 * throttles are decided before the hash is computed; an unknown or disabled account goes through
 * the same steps (and the same lock) as a wrong password, so answers do not reveal which it was.
 */
export async function login({ username, password }: LoginRequest, address: string, now = new Date()): Promise<StaffSession> {
  const account = username.toLowerCase();
  const attempt = await admitLoginAttempt(account, address, now);
  const staff = await Staff.findOne({ username: account });
  // A missing or disabled account costs the same hash, so timing does not tell either.
  const usable = staff?.active ? staff : null;
  await refuseWhenHashingIsBusy(attempt);
  const valid = await verifyPassword(password, usable?.passwordHash ?? (await dummyPasswordHash()));
  if (!usable || !valid) throw (await recordLoginFailure(attempt, now)) ?? invalidCredentials();

  await recordLoginSuccess(attempt, now);
  await Staff.updateOne({ _id: usable._id }, { $set: { lastLoginAt: now } });
  const session = await createSession('staff', String(usable._id), now);
  return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: toStaffUser(usable) };
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
  // The policy applies to a configured password only when it creates the account: later starts
  // ignore it, so an existing installation never stops starting over it.
  const problem = configuredPassword === undefined ? null : passwordProblem(configuredPassword, 'admin');
  if (problem) {
    throw new ConfigError(
      `QIAO_ADMIN_PASSWORD does not meet the password policy (8+ characters with letters and digits, not "admin", not a common password): ${problem}`,
    );
  }
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
