// Who sees which report, over which records (数据权限): admin everything; managers and dispatchers
// their department subtree; sales their own records; marketers campaign leads and customer counts
// across the company (reports carry no contact details). A department filter narrows the scope and
// must lie inside it.
import { reportRoles, type ReportName } from '@qiao/shared';
import { forbidden } from '../../errors.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { subtreeIds } from '../org/department.service.js';
import { departmentScopeIds } from '../org/scope.js';

export interface ReportAccess {
  viewer: StaffPrincipal;
  /** Department values records may hold; null: every record. */
  departments: string[] | null;
  /**
   * Departments of the lead reports: a manager's whole scope also counts the unassigned intake
   * (leads without a department yet), as their lead list shows it.
   */
  leadDepartments: string[] | null;
  /** The department filter asked for, if any. */
  department: string | null;
  /** A salesperson's own staff id: only records they own or share (协作). */
  ownerId: string | null;
  /** A marketer's lead reports count campaign leads only. */
  campaignOnly: boolean;
}

export const reportForbidden = () => forbidden('REPORT_FORBIDDEN', '您没有查看该报表的权限');

export async function reportAccess(viewer: StaffPrincipal, name: ReportName, department: string | undefined): Promise<ReportAccess> {
  if (viewer.role !== 'admin' && !reportRoles[name].includes(viewer.role)) throw reportForbidden();
  const scope = viewer.role === 'marketer' ? null : await departmentScopeIds(viewer);
  // A salesperson's own rule decides their records (a shared one may lie in another department).
  let departments = viewer.role === 'sales' ? null : scope;
  if (department) {
    if (scope !== null && !scope.includes(department)) throw forbidden('REPORT_DEPARTMENT_FORBIDDEN', '只能查看本部门及下级部门的报表');
    departments = await subtreeIds(department);
  }
  const withIntake = viewer.role === 'manager' && !department && departments !== null && !departments.includes('');
  return {
    viewer,
    departments,
    leadDepartments: withIntake ? [...departments!, ''] : departments,
    department: department ?? null,
    ownerId: viewer.role === 'sales' ? viewer.staffId : null,
    campaignOnly: viewer.role === 'marketer',
  };
}

export const accessScope = (access: ReportAccess): 'all' | 'own' | 'campaign' =>
  access.ownerId ? 'own' : access.campaignOnly ? 'campaign' : 'all';
