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

const COUNTED = ['pending', 'failed', 'refused'] as const;
type Counted = (typeof COUNTED)[number];
const counts = (attempt: { outcome: string; cleared?: boolean | null }) =>
  (COUNTED as readonly string[]).includes(attempt.outcome) && !attempt.cleared;

const throttled = (seconds: number) =>
  new TooManyRequests('LOGIN_THROTTLED', `登录尝试过于频繁，请 ${Math.max(1, Math.ceil(seconds))} 秒后再试`, seconds);

/** The lock ends when the `maxFailures`-th newest counted attempt leaves the window. */
function lockedError(counted: Date[], now: Date): AppError {
  const edge = [...counted].sort((a, b) => b.getTime() - a.getTime())[LOGIN_POLICY.maxFailures - 1] ?? now;
  const minutes = Math.max(1, Math.ceil((edge.getTime() + LOGIN_POLICY.lockMs - now.getTime()) / 60_000));
  return new AppError(423, 'ACCOUNT_LOCKED', `登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试`);
}

async function refuse(id: string, outcome: 'refused' | 'busy', error: AppError): Promise<never> {
  await LoginAttempt.updateOne({ _id: id }, { $set: { outcome } });
  throw error;
}

export interface AdmittedAttempt {
  id: string;
  account: string;
  /** When the attempts counting towards a lock happened, this one included. */
  counted: Date[];
}

/**
 * Records the attempt and lets it through to the password check, or throws 423 (locked — also
 * for the right password) or 429 (throttled, with Retry-After). One read serves every rule: on
 * FerretDB each query scans the collection, so fewer queries is what keeps a burst cheap.
 */
export async function admitLoginAttempt(account: string, address: string, now: Date): Promise<AdmittedAttempt> {
  const id = randomUUID();
  await LoginAttempt.create({ _id: id, account, address, at: now, outcome: 'pending' });
  const since = (ms: number) => new Date(now.getTime() - ms);
  const recent = await LoginAttempt.find(
    { $or: [{ account, at: { $gt: since(LOGIN_POLICY.windowMs) } }, { address, at: { $gt: since(LOGIN_POLICY.addressWindowMs) } }] },
    { account: 1, address: 1, at: 1, outcome: 1, admitted: 1, cleared: 1 },
  ).lean();
  const inWindow = (at: Date, ms: number) => at.getTime() > now.getTime() - ms;
  const mine = recent.filter((a) => a.account === account && inWindow(a.at, LOGIN_POLICY.windowMs));
  const counted = mine.filter(counts).map((a) => a.at);
  // Our own attempt is in `recent`: the k-th of concurrent inserts sees at least k of them.
  if (counted.length > LOGIN_POLICY.maxFailures) return refuse(id, 'refused', lockedError(counted, now));
  const fromAddress = recent.filter((a) => a.address === address && inWindow(a.at, LOGIN_POLICY.addressWindowMs)).length;
  if (fromAddress > LOGIN_POLICY.addressLimit) return refuse(id, 'refused', throttled(LOGIN_POLICY.addressWindowMs / 1000));
  const checked = mine.filter((a) => a.admitted && inWindow(a.at, LOGIN_POLICY.accountWindowMs)).length;
  if (checked >= LOGIN_POLICY.accountLimit) return refuse(id, 'refused', throttled(LOGIN_POLICY.accountWindowMs / 1000));
  await LoginAttempt.updateOne({ _id: id }, { $set: { admitted: true } });
  return { id, account, counted };
}

/**
 * Right before the hash: when too many hashes already wait for the CPU, the attempt is turned away
 * (429) instead of queueing. A busy refusal does not count towards a lock.
 */
export async function refuseWhenHashingIsBusy(attempt: AdmittedAttempt): Promise<void> {
  if (passwordHashBacklog() >= LOGIN_POLICY.maxHashBacklog) await refuse(attempt.id, 'busy', throttled(2));
}

/** A wrong password: 423 when this failure completes a lock, else null (answer 401). */
export async function recordLoginFailure(attempt: AdmittedAttempt, now: Date): Promise<AppError | null> {
  await LoginAttempt.updateOne({ _id: attempt.id }, { $set: { outcome: 'failed' } });
  return attempt.counted.length >= LOGIN_POLICY.maxFailures ? lockedError(attempt.counted, now) : null;
}

/** The right password: earlier failures no longer count towards a lock. */
export async function recordLoginSuccess(attempt: AdmittedAttempt, now: Date): Promise<void> {
  await LoginAttempt.updateOne({ _id: attempt.id }, { $set: { outcome: 'success' } });
  // In-flight attempts (pending) keep counting: a success does not wave through a parallel burst.
  const settled: Counted[] = ['failed', 'refused'];
  await LoginAttempt.updateMany({ account: attempt.account, at: { $lte: now }, outcome: { $in: settled } }, { $set: { cleared: true } });
}

/** An admin reset the password: the account is unlocked. */
export async function clearLoginFailures(account: string): Promise<void> {
  await LoginAttempt.updateMany({ account, outcome: { $in: [...COUNTED] } }, { $set: { cleared: true } });
}

/** Attempts older than every window (FerretDB has no TTL indexes). */
export async function deleteOldLoginAttempts(now = new Date()): Promise<number> {
  const longest = Math.max(LOGIN_POLICY.windowMs + LOGIN_POLICY.lockMs, LOGIN_POLICY.addressWindowMs, LOGIN_POLICY.accountWindowMs);
  const result = await LoginAttempt.deleteMany({ at: { $lte: new Date(now.getTime() - longest) } });
  return result.deletedCount;
}
