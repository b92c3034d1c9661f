// Whom a staff member manages: the one rule behind "may act on this staff member's account"
// (invite codes, binding records). Admin: anyone. Dispatchers and managers: the engineers of their
// department's subtree (the department scope every other record type follows). Others: nobody.
import { inDepartmentScope, type ScopeViewer } from '../org/scope.js';

export interface ScopedStaff {
  role: string;
  department?: string | null;
}

export async function managesStaff(viewer: ScopeViewer, staff: ScopedStaff): Promise<boolean> {
  if (viewer.role === 'admin') return true;
  if (viewer.role !== 'dispatcher' && viewer.role !== 'manager') return false;
  // A manager without a department manages nobody (not "everyone without a department").
  if (staff.role !== 'engineer' || !viewer.department) return false;
  return inDepartmentScope(viewer, staff.department);
}
