// Where an uploaded import file waits for its job, and who the importer is as the job sees them.
import path from 'node:path';
import type { StaffRole } from '@qiao/shared';
import type { StaffPrincipal } from '../identity/principal.js';
import type { ImportDoc } from './import.model.js';

export interface ImportDeps {
  /** config.dataDir: files wait in `${dataDir}/imports/<id>.xlsx` until their import is done. */
  dataDir: string;
  now?: () => Date;
}

export const importDir = (deps: ImportDeps) => path.join(deps.dataDir, 'imports');
export const importFilePath = (deps: ImportDeps, importId: string) => path.join(importDir(deps), `${importId}.xlsx`);

/** The importer, rebuilt from the import's document (the job runs without a request). */
export type Importer = StaffPrincipal;

/** The job has no session: `sessionId` is empty (nothing it calls ends or reads a session). */
export function importerOf(doc: Pick<ImportDoc, 'createdBy' | 'createdByRole' | 'createdByDepartment'>): Importer {
  return {
    kind: 'staff',
    staffId: doc.createdBy,
    role: doc.createdByRole as StaffRole,
    department: doc.createdByDepartment ?? null,
    sessionId: '',
  };
}
