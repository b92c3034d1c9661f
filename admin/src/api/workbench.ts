// 工作台: the caller's cards by role, and the menu's badges (GET /workbench, /workbench/badges).
import { workbenchBadgesSchema, workbenchSchema, type Workbench, type WorkbenchBadges } from '@qiao/shared';
import { apiRequest } from './client';

export function getWorkbench(signal?: AbortSignal): Promise<Workbench> {
  return apiRequest('/workbench', { schema: workbenchSchema, signal });
}

export function getWorkbenchBadges(signal?: AbortSignal): Promise<WorkbenchBadges> {
  return apiRequest('/workbench/badges', { schema: workbenchBadgesSchema, signal });
}
