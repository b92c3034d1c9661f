import type { JobRunner } from '../../jobs/runner.js';
import { deleteExpiredSessions } from './session.service.js';

export const SESSION_CLEANUP_JOB = 'identity.delete-expired-sessions';

/** FerretDB has no TTL indexes: expired sessions are removed hourly. */
export function identityJobs(jobs: JobRunner): void {
  jobs.define(SESSION_CLEANUP_JOB, async () => {
    await deleteExpiredSessions();
  });
  jobs.every('1 hour', SESSION_CLEANUP_JOB);
}
