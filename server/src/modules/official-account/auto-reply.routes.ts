import { autoReplyInputSchema, objectIdParamSchema } from '@qiao/shared';
import type { ApiRoutes } from '../../http/route.js';
import { createAutoReply, deleteAutoReply, listAutoReplies, updateAutoReply } from './auto-reply.service.js';
import type { MenuPublisher } from './menu.service.js';
import { menuRoutes } from './menu.routes.js';

const editors = { staff: ['marketer', 'manager'] } as const;

/** The conversation tools of the console: auto replies and the custom menu. */
export function autoReplyRoutes(api: ApiRoutes, deps: { menu?: MenuPublisher } = {}): void {
  menuRoutes(api, deps);
  api.add({
    method: 'get',
    path: '/api/v1/oa/auto-replies',
    access: editors,
    summary: '公众号自动回复规则列表',
    handler: async () => ({ items: await listAutoReplies() }),
  });
  api.add({
    method: 'post',
    path: '/api/v1/oa/auto-replies',
    access: editors,
    summary: '新建自动回复规则',
    body: autoReplyInputSchema,
    status: 201,
    handler: async ({ body }) => createAutoReply(body),
  });
  api.add({
    method: 'put',
    path: '/api/v1/oa/auto-replies/:id',
    access: editors,
    summary: '修改自动回复规则',
    params: objectIdParamSchema,
    body: autoReplyInputSchema,
    handler: async ({ params, body }) => updateAutoReply(params.id, body),
  });
  api.add({
    method: 'delete',
    path: '/api/v1/oa/auto-replies/:id',
    access: editors,
    summary: '删除自动回复规则',
    params: objectIdParamSchema,
    handler: async ({ params }) => deleteAutoReply(params.id),
  });
}
