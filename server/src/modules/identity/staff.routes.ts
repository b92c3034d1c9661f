// Staff management (console) and binding a staff member's WeChat by invite code (mini-program).
import {
  colleagueListSchema,
  customerUserSchema,
  inviteCodeSchema,
  objectIdParamSchema,
  keyPageFields,
  pagedSchema,
  staffBindingEventListSchema,
  staffBindingRequestSchema,
  staffCreateSchema,
  staffListQuerySchema,
  staffMemberSchema,
  staffUpdateSchema,
} from '@qiao/shared';
import { z } from 'zod';
import { requireStaffPrincipal, requireWeChatUserId } from '../../http/auth.js';
import { recordRoutes } from '../../http/record-routes.js';
import type { ApiRoutes } from '../../http/route.js';
import { createStaffMember, listEngineerColleagues, listStaff, updateStaffMember } from './staff-admin.service.js';
import { bindStaffByInviteCode, issueInviteCode, listBindingEvents, type StaffBindingNotices } from './staff-binding.service.js';

export function staffRoutes(api: ApiRoutes, notices: StaffBindingNotices): void {
  api.add({
    method: 'get',
    path: '/api/v1/engineers',
    access: { staff: ['engineer', 'dispatcher', 'manager'] },
    summary: '在职服务工程师（转派、协作时选择同事）',
    response: colleagueListSchema,
    handler: async () => ({ items: await listEngineerColleagues() }),
  });
  recordRoutes(api, {
    path: '/api/v1/staff', access: { staff: ['admin'] }, record: staffMemberSchema,
    list: {
      summary: '职员列表（本部门及下级部门；按角色筛选、搜索，含未完成工单数）', access: { staff: ['dispatcher', 'manager'] },
      query: staffListQuerySchema, response: pagedSchema(staffMemberSchema).extend(keyPageFields), run: listStaff,
    },
    create: { summary: '新建职员账号', body: staffCreateSchema, run: (_admin, body) => createStaffMember(body) },
    update: { method: 'put', summary: '修改职员（角色、服务范围、停用、重设密码）', body: staffUpdateSchema, run: (admin, id, body) => updateStaffMember(id, body, admin.staffId) },
  });
  api.add({
    method: 'post',
    path: '/api/v1/staff/:id/invite-code',
    access: { staff: ['dispatcher', 'manager'] },
    summary: '生成小程序绑定邀请码（7 天内有效，仅可使用一次）',
    response: inviteCodeSchema,
    params: objectIdParamSchema,
    status: 201,
    handler: ({ params, principal }) => issueInviteCode(params.id, requireStaffPrincipal(principal)),
  });
  api.add({
    method: 'get',
    path: '/api/v1/staff/:id/binding-events',
    access: { staff: ['dispatcher', 'manager'] },
    summary: '职员微信绑定记录（含更换绑定）',
    response: staffBindingEventListSchema,
    params: objectIdParamSchema,
    handler: ({ params, principal }) => listBindingEvents(params.id, requireStaffPrincipal(principal)),
  });
  api.add({
    method: 'post',
    path: '/api/v1/me/staff-binding',
    access: 'wechat',
    summary: '职员在小程序中输入邀请码绑定微信',
    response: z.object({ user: customerUserSchema }),
    body: staffBindingRequestSchema,
    handler: ({ principal, body }) => bindStaffByInviteCode(requireWeChatUserId(principal), body.inviteCode, { notices }),
  });
}
