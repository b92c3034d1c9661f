import type { StaffRole } from '@qiao/shared';
import type { AreaKey } from './areas';

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
  engineer: ['dashboard', 'service'],
};

export function canUseArea(role: StaffRole, area: AreaKey): boolean {
  return roleAreas[role].includes(area);
}
