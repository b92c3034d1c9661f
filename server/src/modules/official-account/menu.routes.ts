// The custom menu in the console: read, save the draft, publish to WeChat.
import { menuSchema, menuStateSchema } from '@qiao/shared';
import { AppError } from '../../errors.js';
import { requireStaffPrincipal } from '../../http/auth.js';
import type { ApiRoutes } from '../../http/route.js';
import { getMenuState, publishMenu, saveMenuDraft, type MenuPublisher } from './menu.service.js';

const editors = { staff: ['marketer', 'manager'] } as const;

export function menuRoutes(api: ApiRoutes, deps: { menu?: MenuPublisher }): void {
  api.add({
    method: 'get',
    path: '/api/v1/oa/menu',
    access: editors,
    summary: '公众号自定义菜单（草稿与已发布）',
    response: menuStateSchema,
    handler: () => getMenuState(),
  });
  api.add({
    method: 'put',
    path: '/api/v1/oa/menu',
    access: editors,
    summary: '保存自定义菜单草稿',
    body: menuSchema,
    response: menuStateSchema,
    handler: ({ body }) => saveMenuDraft(body),
  });
  api.add({
    method: 'post',
    path: '/api/v1/oa/menu/publish',
    access: editors,
    summary: '发布自定义菜单到微信（menu/create）',
    body: menuSchema,
    response: menuStateSchema,
    handler: ({ body, principal }) => {
      if (!deps.menu) throw new AppError(503, 'WECHAT_UNAVAILABLE', '未配置公众号，无法发布菜单');
      return publishMenu(body, deps.menu, requireStaffPrincipal(principal).staffId);
    },
  });
}
