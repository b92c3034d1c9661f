// Read-only ownership movements for the reports module (报表): the events of a period (index
// `at`) in the department scope, or those a salesperson took part in (from or to them).
import { flatFilter } from '../../lib/query.js';
import { filterFor } from '../org/scope.js';
import { OwnershipEventRecord } from './ownership-event.model.js';

export interface OwnershipEventStats {
  kind: string;
  at: Date;
  fromOwnerId: string | null;
  toOwnerId: string | null;
}

export async function ownershipEventsBetween(departments: string[] | null, staffId: string | null, start: Date, end: Date): Promise<OwnershipEventStats[]> {
  // A salesperson's movements follow them across departments: the period alone, then from/to them.
  const filter = flatFilter(staffId ? {} : filterFor(departments), { at: { $gte: start, $lt: end } });
  const rows = await OwnershipEventRecord.find(filter, { kind: 1, at: 1, fromOwnerId: 1, toOwnerId: 1 }).lean<OwnershipEventStats[]>();
  return rows
    .filter((row) => !staffId || row.fromOwnerId === staffId || row.toOwnerId === staffId)
    .map((row) => ({ kind: row.kind, at: row.at, fromOwnerId: row.fromOwnerId ?? null, toOwnerId: row.toOwnerId ?? null }));
}
