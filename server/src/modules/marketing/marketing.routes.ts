// Micro-marketing API: materials, segments, campaigns (marketers, managers; admin), 我的方案
// (customers and staff), the material preview and the unsubscribe link (public).
import {
  campaignInputSchema,
  campaignListQuerySchema,
  campaignPatchSchema,
  campaignProgressSchema,
  campaignSchema,
  materialInputSchema,
  materialListQuerySchema,
  materialPatchSchema,
  materialPreviewLinkSchema,
  materialPreviewQuerySchema,
  materialPreviewSchema,
  materialSchema,
  materialVersionSchema,
  myCampaignQuerySchema,
  myCampaignSchema,
  objectIdParamSchema,
  optOutInputSchema,
  pagedSchema,
  segmentInputSchema,
  segmentListQuerySchema,
  segmentPatchSchema,
  segmentPreviewInputSchema,
  segmentPreviewSchema,
  segmentSchema,
} from '@qiao/shared';
import { z } from 'zod';
import { requireStaffPrincipal } from '../../http/auth.js';
import { recordRoutes } from '../../http/record-routes.js';
import type { Access, ApiRoutes } from '../../http/route.js';
import type { Principal } from '../identity/principal.js';
import {
  campaignProgress,
  cancelCampaign,
  createCampaign,
  deleteCampaign,
  getCampaign,
  listCampaigns,
  pauseCampaign,
  resumeCampaign,
  startCampaign,
  updateCampaign,
} from './campaign.service.js';
import type { MarketingDeps } from './marketing.deps.js';
import { createMaterial, deleteMaterial, getMaterial, listMaterials, listVersions, materialPreview, previewLink, updateMaterial } from './material.service.js';
import { myCampaigns, optOutByToken, testSend } from './recipient.service.js';
import { createSegment, deleteSegment, getSegment, listSegments, previewSegment, updateSegment } from './segment.service.js';

/** Who runs marketing in the console (admin implied). */
export const MARKETING_STAFF: Access = { staff: ['marketer', 'manager'] };

const staffId = (principal: Principal | null) => requireStaffPrincipal(principal).staffId;

export function marketingRoutes(api: ApiRoutes, deps: MarketingDeps): void {
  // ---- materials (素材) ----
  // Before /materials/:id, so that "preview" is not taken for an id.
  api.add({
    method: 'get', path: '/api/v1/materials/preview', access: 'public', summary: '素材预览（凭 24 小时有效的预览链接）',
    query: materialPreviewQuerySchema, response: materialPreviewSchema,
    handler: ({ query }) => materialPreview(query.token),
  });
  recordRoutes(api, {
    path: '/api/v1/materials', access: MARKETING_STAFF, record: materialSchema,
    list: { summary: '素材列表', query: materialListQuerySchema, response: pagedSchema(materialSchema), run: (_staff, query) => listMaterials(query) },
    create: { summary: '新建素材（正文按白名单过滤）', body: materialInputSchema, run: (staff, body) => createMaterial(staff.staffId, body) },
    read: { summary: '素材详情', run: (_staff, id) => getMaterial(id) },
    update: { method: 'patch', summary: '修改素材（保留之前的版本）', body: materialPatchSchema, run: (staff, id, body) => updateMaterial(staff.staffId, id, body) },
    remove: { summary: '删除素材', run: (_staff, id) => deleteMaterial(id) },
  });
  api.add({
    method: 'get', path: '/api/v1/materials/:id/versions', access: MARKETING_STAFF, summary: '素材的历史版本（新的在前）',
    params: objectIdParamSchema, response: z.object({ items: z.array(materialVersionSchema) }),
    handler: async ({ params }) => ({ items: await listVersions(params.id) }),
  });
  api.add({
    method: 'post', path: '/api/v1/materials/:id/preview-link', access: MARKETING_STAFF, summary: '生成手机预览链接（24 小时有效）',
    params: objectIdParamSchema, response: materialPreviewLinkSchema,
    handler: ({ params }) => previewLink(params.id, deps.publicBaseUrl),
  });

  // ---- segments (客户细分) ----
  recordRoutes(api, {
    path: '/api/v1/segments', access: MARKETING_STAFF, record: segmentSchema,
    list: { summary: '客户细分列表', query: segmentListQuerySchema, response: pagedSchema(segmentSchema), run: (_staff, query) => listSegments(query) },
    create: { summary: '新建客户细分', body: segmentInputSchema, run: (staff, body) => createSegment(staff.staffId, body) },
    read: { summary: '客户细分详情', run: (_staff, id) => getSegment(id) },
    update: { method: 'patch', summary: '修改客户细分', body: segmentPatchSchema, run: (_staff, id, body) => updateSegment(id, body) },
    remove: { summary: '删除客户细分', run: (_staff, id) => deleteSegment(id) },
  });
  api.add({
    method: 'post', path: '/api/v1/segments/preview', access: MARKETING_STAFF, summary: '按规则预览人数、可触达人数与样例',
    body: segmentPreviewInputSchema, response: segmentPreviewSchema,
    handler: ({ body }) => previewSegment(body.rules),
  });

  // ---- campaigns (营销方案) ----
  recordRoutes(api, {
    path: '/api/v1/campaigns', access: MARKETING_STAFF, record: campaignSchema,
    list: { summary: '营销方案列表', query: campaignListQuerySchema, response: pagedSchema(campaignSchema), run: (_staff, query) => listCampaigns(query) },
    create: { summary: '新建营销方案（草稿）', body: campaignInputSchema, run: (staff, body) => createCampaign(staff.staffId, body) },
    read: { summary: '营销方案详情', run: (_staff, id) => getCampaign(id) },
    update: { method: 'patch', summary: '修改营销方案（仅草稿）', body: campaignPatchSchema, run: (_staff, id, body) => updateCampaign(id, body) },
    remove: { summary: '删除营销方案（仅草稿）', run: (_staff, id) => deleteCampaign(id) },
  });
  const action = (name: string, summary: string, run: (id: string) => Promise<unknown>) =>
    api.add({
      method: 'post', path: `/api/v1/campaigns/:id/${name}`, access: MARKETING_STAFF, summary,
      params: objectIdParamSchema, response: campaignSchema,
      handler: ({ params }) => run(params.id),
    });
  action('start', '启动营销方案（立即发送或按计划时间）', (id) => startCampaign(id, deps));
  action('pause', '暂停发送', (id) => pauseCampaign(id));
  action('resume', '继续发送', (id) => resumeCampaign(id, deps));
  action('cancel', '取消营销方案', (id) => cancelCampaign(id));
  api.add({
    method: 'post', path: '/api/v1/campaigns/:id/test-send', access: MARKETING_STAFF, summary: '试发到自己的微信（群发预览）',
    params: objectIdParamSchema, response: z.object({ openid: z.string(), msgtype: z.string() }),
    handler: ({ principal, params }) => testSend(params.id, staffId(principal), deps),
  });
  api.add({
    method: 'get', path: '/api/v1/campaigns/:id/progress', access: MARKETING_STAFF, summary: '发送进度',
    params: objectIdParamSchema, response: campaignProgressSchema,
    handler: ({ params }) => campaignProgress(params.id, deps.sendRate),
  });

  // ---- recipients ----
  api.add({
    method: 'get', path: '/api/v1/me/campaigns', access: { staff: 'any', customer: true }, summary: '我的方案（收到的营销方案，新的在前）',
    query: myCampaignQuerySchema, response: pagedSchema(myCampaignSchema),
    handler: ({ principal, query }) => myCampaigns(principal!, query),
  });
  api.add({
    method: 'post', path: '/api/v1/marketing/opt-out', access: 'public', summary: '退订营销消息（落地页的退订链接）',
    body: optOutInputSchema,
    handler: async ({ body }) => {
      await optOutByToken(body.token);
      return { optedOut: true };
    },
  });
}
