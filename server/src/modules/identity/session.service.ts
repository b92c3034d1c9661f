// Bearer sessions for staff (admin console) and customers (mini-program).
import { createHash, randomBytes } from 'node:crypto';
import { staffRoles, type StaffRole } from '@qiao/shared';
import type { Principal } from '../../http/auth.js';
import { Session } from './session.model.js';
import { Staff } from './staff.model.js';

const STAFF_SESSION_MS = 12 * 3600_000;
const CUSTOMER_SESSION_MS = 30 * 24 * 3600_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export async function createSession(kind: 'staff' | 'customer', subjectId: string, now = new Date()) {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + (kind === 'staff' ? STAFF_SESSION_MS : CUSTOMER_SESSION_MS));
  await Session.create({ _id: hashToken(token), kind, subjectId, expiresAt });
  return { token, expiresAt };
}

export async function endSession(sessionId: string): Promise<void> {
  await Session.deleteOne({ _id: sessionId });
}

/** The caller behind a token, or null when the token is unknown, expired or its account disabled. */
export async function resolveSession(token: string, now = new Date()): Promise<Principal | null> {
  const sessionId = hashToken(token);
  const session = await Session.findById(sessionId).lean();
  if (!session || session.expiresAt <= now) return null;
  if (session.kind === 'customer') return { kind: 'customer', wechatUserId: session.subjectId, sessionId };

  // Role and status are read fresh: a disabled account or a changed role takes effect at once.
  const staff = await Staff.findById(session.subjectId).lean();
  if (!staff || !staff.active || !staffRoles.includes(staff.role as StaffRole)) return null;
  return { kind: 'staff', staffId: String(staff._id), role: staff.role as StaffRole, department: staff.department ?? null, sessionId };
}

/** Expired sessions are removed by a job: FerretDB has no TTL indexes. */
export async function deleteExpiredSessions(now = new Date()): Promise<number> {
  const result = await Session.deleteMany({ expiresAt: { $lte: now } });
  return result.deletedCount;
}
