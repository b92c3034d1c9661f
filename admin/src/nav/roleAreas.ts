import type { StaffRole } from '@qiao/shared';
import type { AreaKey, NavArea, NavPage } from './areas';

/**
 * Which console areas each role uses. Hidden areas are also refused by the route guard;
 * the server checks permissions on every API call regardless.
 */
export const roleAreas: Record<StaffRole, readonly AreaKey[]> = {
  admin: ['dashboard', 'service', 'marketing', 'sales', 'reports', 'system'],
  manager: ['dashboard', 'service', 'marketing', 'sales', 'reports'],
  marketer: ['dashboard', 'marketing', 'sales', 'reports'],
  sales: ['dashboard', 'marketing', 'sales', 'reports'],
  dispatcher: ['dashboard', 'service', 'reports'],
  // Engineers work in the mini-program; the console's service pages are the dispatcher's.
  engineer: ['dashboard'],
};

export function canUseArea(role: StaffRole, area: AreaKey): boolean {
  return roleAreas[role].includes(area);
}

/** Whether a role uses a page: its area, and the page's own role list when it has one. */
export function canUsePage(role: StaffRole, area: NavArea, page: NavPage): boolean {
  return canUseArea(role, area.key) && (!page.roles || page.roles.includes(role));
}

/** The pages of an area a role uses (areas with none are left out of the menu). */
export function usablePages(role: StaffRole, area: NavArea): NavPage[] {
  return area.pages.filter((page) => canUsePage(role, area, page));
}
