import type { JobRunner } from '../../jobs/runner.js';
import { deleteStaleUploads, type FilesDeps } from './upload.service.js';

export const UPLOAD_CLEANUP_JOB = 'files.delete-stale-uploads';

/** Uploads never attached to a request or visit are removed after a day. */
export function filesJobs(jobs: JobRunner, deps: FilesDeps): void {
  jobs.define(UPLOAD_CLEANUP_JOB, async () => {
    await deleteStaleUploads(deps);
  });
  jobs.every('1 hour', UPLOAD_CLEANUP_JOB);
}
