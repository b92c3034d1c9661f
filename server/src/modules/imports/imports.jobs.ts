// The import job and its recovery sweep: an import whose run stopped (a crash, a restart) is queued
// again once its lease ran out, and resumes where it stopped.
import type { JobRunner } from '../../jobs/runner.js';
import type { Logger } from '../../logger.js';
import type { ImportDeps } from './import.files.js';
import { IMPORT_JOB, runImport, stalledImports, type ImportJob } from './import.runner.js';

export const IMPORT_RECOVERY_JOB = 'imports.recover';

export function importJobs(jobs: JobRunner, deps: ImportDeps, logger: Logger): void {
  // One import at a time per process: the embedded database writes one statement at a time anyway.
  jobs.define<ImportJob>(IMPORT_JOB, (data) => runImport(data.importId, deps, logger), { concurrency: 1, retries: 3 });
  jobs.define(
    IMPORT_RECOVERY_JOB,
    async () => {
      for (const importId of await stalledImports()) await jobs.now<ImportJob>(IMPORT_JOB, { importId });
    },
    { concurrency: 1, retries: 0 },
  );
  jobs.every('2 minutes', IMPORT_RECOVERY_JOB);
}
