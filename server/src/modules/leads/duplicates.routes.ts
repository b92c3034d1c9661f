// /api/v1/duplicates/check (撞单 on demand) and /api/v1/settings/duplicates (撞单规则: everyone in
// sales reads them, the admin edits them).
import { duplicateCheckInputSchema, duplicateCheckResultSchema, duplicateSettingsSchema } from '@qiao/shared';
import { requireStaffPrincipal } from '../../http/auth.js';
import type { ApiRoutes } from '../../http/route.js';
import { checkDuplicates, readDuplicateSettings, saveDuplicateSettings } from './duplicate.service.js';

export function duplicatesRoutes(api: ApiRoutes): void {
  api.add({
    method: 'post',
    path: '/api/v1/duplicates/check',
    access: { staff: ['sales', 'manager'] },
    summary: '撞单检查：与已有线索、客户比对（无权查看的记录联系方式打码）',
    body: duplicateCheckInputSchema,
    response: duplicateCheckResultSchema,
    handler: async ({ body, principal }) => {
      const { excludeLeadId, excludeCustomerId, ...candidate } = body;
      return checkDuplicates(candidate, {
        viewer: requireStaffPrincipal(principal),
        ...(excludeLeadId ? { excludeLeadId } : {}),
        ...(excludeCustomerId ? { excludeCustomerId } : {}),
      });
    },
  });
  api.add({
    method: 'get',
    path: '/api/v1/settings/duplicates',
    access: { staff: ['sales', 'manager', 'marketer'] },
    summary: '撞单规则',
    response: duplicateSettingsSchema,
    handler: async () => readDuplicateSettings(),
  });
  api.add({
    method: 'put',
    path: '/api/v1/settings/duplicates',
    access: { staff: [] },
    summary: '修改撞单规则（管理员）',
    body: duplicateSettingsSchema,
    response: duplicateSettingsSchema,
    handler: async ({ body, principal }) => saveDuplicateSettings(body, requireStaffPrincipal(principal).staffId),
  });
}
