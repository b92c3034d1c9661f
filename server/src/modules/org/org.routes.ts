// /api/v1/departments: the department tree. Every staff role reads it (pickers); admin manages it.
import { departmentCreateSchema, departmentSchema, departmentUpdateSchema, objectIdParamSchema } from '@qiao/shared';
import { z } from 'zod';
import type { ApiRoutes } from '../../http/route.js';
import { createDepartment, deleteDepartment, departmentTree, updateDepartment } from './department.service.js';

/**
 * The tree's shape for the OpenAPI document: departmentTreeSchema is recursive, which the
 * generator would turn into a `$ref` to a local `$defs` the document does not have.
 */
const treeDocument = z.object({
  items: z.array(departmentSchema.extend({ children: z.array(z.unknown()).describe('下级部门，结构相同') })),
});

export function orgRoutes(api: ApiRoutes): void {
  api.add({
    method: 'get',
    path: '/api/v1/departments',
    access: { staff: 'any' },
    summary: '部门树',
    response: treeDocument,
    handler: () => departmentTree(),
  });
  api.add({
    method: 'post',
    path: '/api/v1/departments',
    access: { staff: ['admin'] },
    summary: '新建部门（parentId 为空即顶级部门）',
    response: departmentSchema,
    body: departmentCreateSchema,
    status: 201,
    handler: ({ body }) => createDepartment(body),
  });
  api.add({
    method: 'put',
    path: '/api/v1/departments/:id',
    access: { staff: ['admin'] },
    summary: '重命名、移动（不能移到自己的下级之下）或调整排序',
    response: departmentSchema,
    params: objectIdParamSchema,
    body: departmentUpdateSchema,
    handler: ({ params, body }) => updateDepartment(params.id, body),
  });
  api.add({
    method: 'delete',
    path: '/api/v1/departments/:id',
    access: { staff: ['admin'] },
    summary: '删除部门（还有下级部门、职员或客户时拒绝，409）',
    params: objectIdParamSchema,
    handler: ({ params }) => deleteDepartment(params.id),
  });
}
