// /api/v1/workbench: the caller's cards by role, and the menu's badges (polled by the console).
import { workbenchBadgesSchema, workbenchSchema } from '@qiao/shared';
import { requireStaffPrincipal } from '../../http/auth.js';
import type { ApiRoutes } from '../../http/route.js';
import { badgesFor, workbenchFor } from './workbench.service.js';

export interface WorkbenchDeps {
  /** The Official Account's appid: the follower sync state shown to admins. */
  appid: string;
}

export function workbenchRoutes(api: ApiRoutes, deps: WorkbenchDeps): void {
  api.add({
    method: 'get',
    path: '/api/v1/workbench',
    access: { staff: 'any' },
    summary: '工作台：按角色返回待办与统计卡片（数据范围同列表权限）',
    response: workbenchSchema,
    handler: async ({ principal }) => workbenchFor(requireStaffPrincipal(principal), { appid: deps.appid }),
  });
  api.add({
    method: 'get',
    path: '/api/v1/workbench/badges',
    access: { staff: 'any' },
    summary: '菜单角标：各页面待处理的数量（{ 控制台路径: 数量 }，为 0 的不返回）',
    response: workbenchBadgesSchema,
    handler: async ({ principal }) => badgesFor(requireStaffPrincipal(principal)),
  });
}
