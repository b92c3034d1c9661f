// What an import asks of the sales modules: the duplicate check (撞单, leads module), the duplicate
// keys of every customer it creates or gives contacts, and an `import` entry in each created one's
// ownership history.
import { recordOwnershipEvents } from '../customers/ownership.service.js';
import {
  addCustomerDuplicateKeys,
  checkDuplicates,
  customerDuplicateKeys,
  readDuplicateSettings,
  refreshDuplicateKeysOf,
  removeCustomerDuplicateKeys,
} from '../leads/duplicate.service.js';
import { customerCodesAndNames } from '../customers/import.writes.js';
import type { Importer } from './import.files.js';

export interface DuplicateQuestion {
  /** The id the group's customer gets (left out of its own check on a re-run). */
  customerId: string;
  company: string;
  name: string;
  phone: string;
}

/** Checks at once: each is a few indexed key lookups, the database answers several together. */
const PARALLEL = 4;

/**
 * Per group (by its customer id), the existing customers the duplicate check calls duplicates of
 * it under the admin's rules, best first (leads do not stop an import). One such customer: the
 * group is added to it; several: it is refused, naming them.
 */
export async function findDuplicateCustomers(importer: Importer, questions: DuplicateQuestion[]): Promise<Map<string, string[]>> {
  const settings = await readDuplicateSettings();
  const matchOf = new Map<string, string[]>();
  let next = 0;
  const lanes = Array.from({ length: Math.min(PARALLEL, questions.length) }, async () => {
    while (next < questions.length) {
      const q = questions[next++]!;
      const result = await checkDuplicates({ company: q.company, name: q.name || null, phone: q.phone || null }, { viewer: importer, excludeCustomerId: q.customerId, settings });
      const customers = result.matches.filter((m) => m.kind === 'customer').map((m) => m.id);
      if (result.conflict && customers.length > 0) matchOf.set(q.customerId, customers);
    }
  });
  await Promise.all(lanes);
  return matchOf;
}

/** Codes and names of customers (to name them in a reason: 与客户 KH000012 蓝鲸科技 重复). */
export const customersNamed = (ids: string[]) => customerCodesAndNames(ids);

/** Existing customers given contacts by an import, or whose added contacts were removed again: their duplicate keys follow. */
export async function refreshAttachedCustomers(customerIds: string[]): Promise<void> {
  await refreshDuplicateKeysOf('customer', [...new Set(customerIds)]);
}

/** The admin's duplicate rules (撞单规则): the in-file check scores with them too. */
export async function duplicateRules() {
  return (await readDuplicateSettings()).rules;
}

/** A new customer's duplicate keys, from what the import writes (its name, phone and contacts). */
export function duplicateKeysOf(customer: { id: string; name: string; phone: string; department: string; contacts: Array<{ name: string; phone: string }> }): string[] {
  return customerDuplicateKeys({ ...customer, ownerId: null, collaboratorIds: [], createdAt: new Date() });
}

export interface ImportedOwnership {
  customerId: string;
  ownerId: string | null;
  department: string;
  dupKeys: string[];
}

/** After a batch is written: the customers' duplicate keys and the `import` entry of their ownership history (once each). */
export async function noteImportedCustomers(importer: Importer, importId: string, customers: ImportedOwnership[], at: Date): Promise<void> {
  if (customers.length === 0) return;
  await addCustomerDuplicateKeys(customers.map((c) => ({ customerId: c.customerId, keys: c.dupKeys })));
  await recordOwnershipEvents(
    customers.map((c) => ({
      key: `import:${importId}:${c.customerId}`,
      customerId: c.customerId,
      kind: 'import',
      fromOwnerId: null,
      toOwnerId: c.ownerId,
      reason: '导入',
      byStaffId: importer.staffId,
      department: c.department,
      at,
    })),
  );
}

/** Customers removed again (a roll back): their duplicate keys go too. */
export async function forgetImportedCustomers(customerIds: string[]): Promise<void> {
  await removeCustomerDuplicateKeys(customerIds);
}
