// Whom a staff member manages: the one rule behind "may act on this staff member's account"
// (invite codes today). Keep it one small function of the two roles and department values.
import type { StaffRole } from '@qiao/shared';

export interface ScopeViewer {
  role: StaffRole;
  department: string | null;
}

export interface ScopedStaff {
  role: string;
  department?: string | null;
}

/** Admin: anyone. Dispatchers and managers: the engineers of their own department. Others: nobody. */
export function managesStaff(viewer: ScopeViewer, staff: ScopedStaff): boolean {
  if (viewer.role === 'admin') return true;
  if (viewer.role !== 'dispatcher' && viewer.role !== 'manager') return false;
  if (staff.role !== 'engineer' || !viewer.department) return false;
  return (staff.department ?? null) === viewer.department;
}
