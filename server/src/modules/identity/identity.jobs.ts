import type { JobRunner } from '../../jobs/runner.js';
import { deleteOldLoginAttempts } from './login-guard.js';
import { deleteExpiredSessions } from './session.service.js';
import { deleteExpiredInviteCodes } from './staff-binding.service.js';
import { deleteStaleVerificationCodes } from './verification.service.js';
import { deleteExpiredWebAuth } from './web-auth.service.js';

export const SESSION_CLEANUP_JOB = 'identity.delete-expired-sessions';
export const CODE_CLEANUP_JOB = 'identity.delete-stale-codes';

/**
 * FerretDB has no TTL indexes: expired sessions, web-authorisation states and tickets, login
 * attempts, verification and invite codes are
 * removed hourly (attempts older than every lockout and throttle window).
 */
export function identityJobs(jobs: JobRunner): void {
  jobs.define(SESSION_CLEANUP_JOB, async () => {
    await deleteExpiredSessions();
    await deleteOldLoginAttempts();
    await deleteExpiredWebAuth();
  });
  jobs.every('1 hour', SESSION_CLEANUP_JOB);
  jobs.define(CODE_CLEANUP_JOB, async () => {
    await deleteStaleVerificationCodes();
    await deleteExpiredInviteCodes();
  });
  jobs.every('1 hour', CODE_CLEANUP_JOB);
}
