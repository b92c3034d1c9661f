// /api/v1/follow-records: 跟进记录 on leads and customers — written and read by whoever works the
// lead or customer (sales their own and shared ones, managers their subtree, admin all).
import { followRecordInputSchema, followRecordListQuerySchema, followRecordSchema, followRecordPageSchema } from '@qiao/shared';
import { requireStaffPrincipal } from '../../http/auth.js';
import type { ApiRoutes } from '../../http/route.js';
import { createFollowRecord, listFollowRecords } from './follow-record.service.js';

export function followRecordsRoutes(api: ApiRoutes): void {
  api.add({
    method: 'post',
    path: '/api/v1/follow-records',
    access: { staff: ['sales', 'manager'] },
    summary: '记录一次跟进（线索或客户）：线索进入跟进中，客户的公海计时重新开始',
    body: followRecordInputSchema,
    response: followRecordSchema,
    status: 201,
    handler: async ({ body, principal }) => createFollowRecord(requireStaffPrincipal(principal), body),
  });
  api.add({
    method: 'get',
    path: '/api/v1/follow-records',
    access: { staff: ['sales', 'manager'] },
    summary: '跟进记录（某线索或客户的、我的、待跟进的），最新在前',
    query: followRecordListQuerySchema,
    response: followRecordPageSchema,
    handler: async ({ query, principal }) => listFollowRecords(requireStaffPrincipal(principal), query),
  });
}
