// Read-only staff lists for the reports module (报表): who the rows of a per-person report are.
import type { StaffRole } from '@qiao/shared';
import { filterFor } from '../org/scope.js';
import { flatFilter } from '../../lib/query.js';
import { Staff } from './staff.model.js';

export interface StaffRow {
  id: string;
  name: string;
  role: StaffRole;
  department: string | null;
  active: boolean;
}

/** Staff of the roles whose department is in `departments` (null: all), by name. */
export async function staffOfRoles(roles: readonly StaffRole[], departments: string[] | null): Promise<StaffRow[]> {
  const filter = flatFilter(roles.length === 1 ? { role: roles[0] } : { role: { $in: roles } }, filterFor(departments));
  const rows = await Staff.find(filter, { name: 1, role: 1, department: 1, active: 1 }).lean<
    Array<{ _id: unknown; name: string; role: StaffRole; department?: string | null; active?: boolean }>
  >();
  return rows
    .map((row) => ({ id: String(row._id), name: row.name, role: row.role, department: row.department ?? null, active: row.active !== false }))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}
