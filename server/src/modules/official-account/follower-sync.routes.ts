import { followerSyncStatusSchema } from '@qiao/shared';
import type { JobQueue } from '../../jobs/runner.js';
import type { ApiRoutes } from '../../http/route.js';
import { followerSyncStatus } from './follower-sync.service.js';
import { queueFollowerSync } from './official-account.jobs.js';

const admins = { staff: ['admin'] } as const;

export function followerSyncRoutes(api: ApiRoutes, deps: { jobs: JobQueue; appid: string }): void {
  api.add({
    method: 'get',
    path: '/api/v1/oa/follower-sync',
    access: admins,
    summary: '公众号粉丝同步进度',
    response: followerSyncStatusSchema,
    handler: async () => followerSyncStatus(deps.appid),
  });
  api.add({
    method: 'post',
    path: '/api/v1/oa/follower-sync',
    access: admins,
    summary: '立即同步公众号粉丝',
    response: followerSyncStatusSchema,
    status: 202,
    handler: async () => {
      await queueFollowerSync(deps.jobs);
      return followerSyncStatus(deps.appid);
    },
  });
}
