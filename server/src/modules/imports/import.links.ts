// What an import asks of the sales modules: the duplicate check (撞单, leads module) and, for every
// customer it creates, its duplicate keys and an `import` entry in the ownership history.
import type { Importer } from './import.files.js';

export interface DuplicateQuestion {
  /** The id the group's customer gets (left out of its own check on a re-run). */
  customerId: string;
  company: string;
  name: string;
  phone: string;
}

/** Per group (by its customer id), the existing customer it conflicts with, if any. */
export async function findDuplicateCustomers(_importer: Importer, _questions: DuplicateQuestion[]): Promise<Map<string, { code: string; name: string }>> {
  return new Map();
}

export interface ImportedOwnership {
  customerId: string;
  ownerId: string | null;
  department: string;
}

export async function noteImportedCustomers(_importer: Importer, _importId: string, _customers: ImportedOwnership[], _at: Date): Promise<void> {}
