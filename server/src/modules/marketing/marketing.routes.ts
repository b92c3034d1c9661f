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
  api.add({
    method: 'get', path: '/api/v1/materials', access: MARKETING_STAFF, summary: '素材列表',
    query: materialListQuerySchema, response: pagedSchema(materialSchema),
    handler: ({ query }) => listMaterials(query),
  });
  api.add({
    method: 'post', path: '/api/v1/materials', access: MARKETING_STAFF, summary: '新建素材（正文按白名单过滤）', status: 201,
    body: materialInputSchema, response: materialSchema,
    handler: ({ principal, body }) => createMaterial(staffId(principal), body),
  });
  // Before /materials/:id, so that "preview" is not taken for an id.
  api.add({
    method: 'get', path: '/api/v1/materials/preview', access: 'public', summary: '素材预览（凭 24 小时有效的预览链接）',
    query: materialPreviewQuerySchema, response: materialPreviewSchema,
    handler: ({ query }) => materialPreview(query.token),
  });
  api.add({
    method: 'get', path: '/api/v1/materials/:id', access: MARKETING_STAFF, summary: '素材详情',
    params: objectIdParamSchema, response: materialSchema,
    handler: ({ params }) => getMaterial(params.id),
  });
  api.add({
    method: 'patch', path: '/api/v1/materials/:id', access: MARKETING_STAFF, summary: '修改素材（保留之前的版本）',
    params: objectIdParamSchema, body: materialPatchSchema, response: materialSchema,
    handler: ({ principal, params, body }) => updateMaterial(staffId(principal), params.id, body),
  });
  api.add({
    method: 'delete', path: '/api/v1/materials/:id', access: MARKETING_STAFF, summary: '删除素材',
    params: objectIdParamSchema,
    handler: ({ params }) => deleteMaterial(params.id),
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
  api.add({
    method: 'get', path: '/api/v1/segments', access: MARKETING_STAFF, summary: '客户细分列表',
    query: segmentListQuerySchema, response: pagedSchema(segmentSchema),
    handler: ({ query }) => listSegments(query),
  });
  api.add({
    method: 'post', path: '/api/v1/segments', access: MARKETING_STAFF, summary: '新建客户细分', status: 201,
    body: segmentInputSchema, response: segmentSchema,
    handler: ({ principal, body }) => createSegment(staffId(principal), body),
  });
  api.add({
    method: 'post', path: '/api/v1/segments/preview', access: MARKETING_STAFF, summary: '按规则预览人数、可触达人数与样例',
    body: segmentPreviewInputSchema, response: segmentPreviewSchema,
    handler: ({ body }) => previewSegment(body.rules),
  });
  api.add({
    method: 'get', path: '/api/v1/segments/:id', access: MARKETING_STAFF, summary: '客户细分详情',
    params: objectIdParamSchema, response: segmentSchema,
    handler: ({ params }) => getSegment(params.id),
  });
  api.add({
    method: 'patch', path: '/api/v1/segments/:id', access: MARKETING_STAFF, summary: '修改客户细分',
    params: objectIdParamSchema, body: segmentPatchSchema, response: segmentSchema,
    handler: ({ params, body }) => updateSegment(params.id, body),
  });
  api.add({
    method: 'delete', path: '/api/v1/segments/:id', access: MARKETING_STAFF, summary: '删除客户细分',
    params: objectIdParamSchema,
    handler: ({ params }) => deleteSegment(params.id),
  });

  // ---- campaigns (营销方案) ----
  api.add({
    method: 'get', path: '/api/v1/campaigns', access: MARKETING_STAFF, summary: '营销方案列表',
    query: campaignListQuerySchema, response: pagedSchema(campaignSchema),
    handler: ({ query }) => listCampaigns(query),
  });
  api.add({
    method: 'post', path: '/api/v1/campaigns', access: MARKETING_STAFF, summary: '新建营销方案（草稿）', status: 201,
    body: campaignInputSchema, response: campaignSchema,
    handler: ({ principal, body }) => createCampaign(staffId(principal), body),
  });
  api.add({
    method: 'get', path: '/api/v1/campaigns/:id', access: MARKETING_STAFF, summary: '营销方案详情',
    params: objectIdParamSchema, response: campaignSchema,
    handler: ({ params }) => getCampaign(params.id),
  });
  api.add({
    method: 'patch', path: '/api/v1/campaigns/:id', access: MARKETING_STAFF, summary: '修改营销方案（仅草稿）',
    params: objectIdParamSchema, body: campaignPatchSchema, response: campaignSchema,
    handler: ({ params, body }) => updateCampaign(params.id, body),
  });
  api.add({
    method: 'delete', path: '/api/v1/campaigns/:id', access: MARKETING_STAFF, summary: '删除营销方案（仅草稿）',
    params: objectIdParamSchema,
    handler: ({ params }) => deleteCampaign(params.id),
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
