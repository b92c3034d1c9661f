// Lockout and throttles of staff logins, decided before the password hash is computed.
//
// Every attempt is first inserted as its own document (login_attempts), then the documents are
// counted. The k-th concurrent insert sees at least k documents, so no matter how many guesses
// arrive together, at most `maxFailures` of them ever reach the password check per window.
import { randomUUID } from 'node:crypto';
import { AppError, TooManyRequests } from '../../errors.js';
import { LoginAttempt } from './login-attempt.model.js';
import { passwordHashBacklog } from './password.js';

export const LOGIN_POLICY = {
  /** Attempts without success within the window that lock the account (423 ACCOUNT_LOCKED). */
  maxFailures: 5,
  windowMs: 15 * 60_000,
  /** How long a lock lasts after the attempt that completed it. */
  lockMs: 15 * 60_000,
  /** Attempts from one client address, any accounts (429 LOGIN_THROTTLED). */
  addressLimit: 50,
  addressWindowMs: 60_000,
  /** Password checks on one account, successful ones included (429 LOGIN_THROTTLED). */
  accountLimit: 10,
  accountWindowMs: 60_000,
  /** Hashes waiting for a CPU slot beyond which new logins are turned away at once. */
  maxHashBacklog: 16,
};

const COUNTED: Array<'pending' | 'failed' | 'refused'> = ['pending', 'failed', 'refused'];

/** What counts towards a lock: attempts that did not succeed and were not cleared by a success. */
const lockFilter = (account: string, now: Date) => ({
  account,
  at: { $gt: new Date(now.getTime() - LOGIN_POLICY.windowMs) },
  outcome: { $in: COUNTED },
  cleared: { $ne: true },
});

const throttled = (seconds: number) =>
  new TooManyRequests('LOGIN_THROTTLED', `登录尝试过于频繁，请 ${Math.max(1, Math.ceil(seconds))} 秒后再试`, seconds);

function lockedError(until: number, now: Date): AppError {
  const minutes = Math.max(1, Math.ceil((until - now.getTime()) / 60_000));
  return new AppError(423, 'ACCOUNT_LOCKED', `登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试`);
}

/** The lock ends when the `maxFailures`-th newest counted attempt leaves the window. */
async function lockError(account: string, now: Date): Promise<AppError> {
  const [edge] = await LoginAttempt.find(lockFilter(account, now), { at: 1 })
    .sort({ at: -1 })
    .skip(LOGIN_POLICY.maxFailures - 1)
    .limit(1)
    .lean();
  return lockedError((edge?.at ?? now).getTime() + LOGIN_POLICY.lockMs, now);
}

const countLockAttempts = (account: string, now: Date) => LoginAttempt.countDocuments(lockFilter(account, now));

async function refuse(id: string, outcome: 'refused' | 'busy', error: AppError): Promise<never> {
  await LoginAttempt.updateOne({ _id: id }, { $set: { outcome } });
  throw error;
}

/**
 * Records the attempt and lets it through to the password check, or throws 423 (locked — also
 * for the right password) or 429 (throttled, with Retry-After). Returns the attempt's id.
 */
export async function admitLoginAttempt(account: string, address: string, now: Date): Promise<string> {
  const id = randomUUID();
  await LoginAttempt.create({ _id: id, account, address, at: now, outcome: 'pending' });
  const [lockCount, addressCount] = await Promise.all([
    countLockAttempts(account, now),
    LoginAttempt.countDocuments({ address, at: { $gt: new Date(now.getTime() - LOGIN_POLICY.addressWindowMs) } }),
  ]);
  if (lockCount > LOGIN_POLICY.maxFailures) return refuse(id, 'refused', await lockError(account, now));
  if (addressCount > LOGIN_POLICY.addressLimit) return refuse(id, 'refused', throttled(LOGIN_POLICY.addressWindowMs / 1000));

  await LoginAttempt.updateOne({ _id: id }, { $set: { admitted: true } });
  const accountCount = await LoginAttempt.countDocuments({
    account,
    admitted: true,
    at: { $gt: new Date(now.getTime() - LOGIN_POLICY.accountWindowMs) },
  });
  if (accountCount > LOGIN_POLICY.accountLimit) return refuse(id, 'refused', throttled(LOGIN_POLICY.accountWindowMs / 1000));
  // Checked last so that a full line does not hide a lock; a busy refusal never counts as a failure.
  if (passwordHashBacklog() >= LOGIN_POLICY.maxHashBacklog) return refuse(id, 'busy', throttled(2));
  return id;
}

/** A wrong password: 423 when this failure completes a lock, else null (answer 401). */
export async function recordLoginFailure(id: string, account: string, now: Date): Promise<AppError | null> {
  await LoginAttempt.updateOne({ _id: id }, { $set: { outcome: 'failed' } });
  if ((await countLockAttempts(account, now)) >= LOGIN_POLICY.maxFailures) return lockError(account, now);
  return null;
}

/** The right password: earlier failures no longer count towards a lock. */
export async function recordLoginSuccess(id: string, account: string, now: Date): Promise<void> {
  await LoginAttempt.updateOne({ _id: id }, { $set: { outcome: 'success' } });
  // In-flight attempts (pending) keep counting: a success does not wave through a parallel burst.
  const settled: Array<'failed' | 'refused'> = ['failed', 'refused'];
  await LoginAttempt.updateMany({ account, at: { $lte: now }, outcome: { $in: settled } }, { $set: { cleared: true } });
}

/** An admin reset the password: the account is unlocked. */
export async function clearLoginFailures(account: string): Promise<void> {
  await LoginAttempt.updateMany({ account, outcome: { $in: COUNTED } }, { $set: { cleared: true } });
}

/** Attempts older than every window (FerretDB has no TTL indexes). */
export async function deleteOldLoginAttempts(now = new Date()): Promise<number> {
  const longest = Math.max(LOGIN_POLICY.windowMs + LOGIN_POLICY.lockMs, LOGIN_POLICY.addressWindowMs, LOGIN_POLICY.accountWindowMs);
  const result = await LoginAttempt.deleteMany({ at: { $lte: new Date(now.getTime() - longest) } });
  return result.deletedCount;
}
