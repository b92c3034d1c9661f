// The one rule of department scope, used by every module (customers, contacts, product archives,
// service requests, follow-ups, staff): admin sees everything; managers, dispatchers and sales see
// the records of their department's subtree; engineers see nothing by department (their work
// orders decide). A staff member without a department sees only records without one.
import type { StaffRole } from '@qiao/shared';
import { subtreeIds } from './department.service.js';

/** Who is asking, as far as scope is concerned (a StaffPrincipal or a service StaffViewer fits). */
export interface ScopeViewer {
  role: StaffRole;
  department: string | null;
}

/** The department values records in scope may hold; null means every record (admin). */
export async function departmentScopeIds(viewer: ScopeViewer): Promise<string[] | null> {
  if (viewer.role === 'admin') return null;
  if (viewer.role === 'engineer') return [];
  return viewer.department ? subtreeIds(viewer.department) : [''];
}

/** A query condition on `field` for the records in scope ({} for admin). */
export async function departmentFilter(viewer: ScopeViewer, field = 'department'): Promise<Record<string, unknown>> {
  return filterFor(await departmentScopeIds(viewer), field);
}

/** The same condition from ids already computed (one tree read for several queries). */
export function filterFor(ids: string[] | null, field = 'department'): Record<string, unknown> {
  if (ids === null) return {};
  // One department: plain equality, the filter an index serves best.
  if (ids.length === 1 && ids[0] !== '') return { [field]: ids[0] };
  // "No department" is stored as '' (customers, requests) or null (staff).
  return { [field]: { $in: ids.includes('') ? [...ids, null] : ids } };
}

export function idsInclude(ids: string[] | null, department: string | null | undefined): boolean {
  return ids === null || ids.includes(department ?? '');
}

/** Whether a record holding `department` is in the viewer's scope. */
export async function inDepartmentScope(viewer: ScopeViewer, department: string | null | undefined): Promise<boolean> {
  return idsInclude(await departmentScopeIds(viewer), department);
}
