// Marketing (营销): materials (素材), segments (客户细分) and campaigns (营销方案).
import {
  campaignProgressSchema,
  campaignSchema,
  materialPreviewLinkSchema,
  materialSchema,
  materialVersionSchema,
  pagedSchema,
  segmentPreviewSchema,
  segmentSchema,
  uploadResultSchema,
  type Campaign,
  type CampaignInput,
  type CampaignPatch,
  type CampaignProgress,
  type CampaignStatus,
  type Material,
  type MaterialInput,
  type MaterialKind,
  type MaterialPatch,
  type MaterialVersion,
  type Paged,
  type Segment,
  type SegmentInput,
  type SegmentPatch,
  type SegmentPreview,
  type SegmentRules,
} from '@qiao/shared';
import { z } from 'zod';
import { apiRequest, withQuery } from './client';

export interface UploadedFile {
  id: string;
  url: string;
}

/** `POST /uploads` (multipart, field `file`): a cover, an image in a body, an attachment. */
export function uploadImage(file: File): Promise<UploadedFile> {
  const body = new FormData();
  body.append('file', file, file.name);
  return apiRequest('/uploads', { method: 'POST', body, schema: uploadResultSchema, tooLargeMessage: '图片不能超过 5 MB' });
}

// ---------------------------------------------------------------- materials (素材)

const materialPageSchema = pagedSchema(materialSchema);
const materialVersionListSchema = z.object({ items: z.array(materialVersionSchema) });

export interface MaterialListParams {
  page?: number;
  pageSize?: number;
  q?: string;
  kind?: MaterialKind;
}

export function listMaterials(params: MaterialListParams, signal?: AbortSignal): Promise<Paged<Material>> {
  return apiRequest(withQuery('/materials', { ...params }), { schema: materialPageSchema, signal });
}

export function getMaterial(id: string, signal?: AbortSignal): Promise<Material> {
  return apiRequest(`/materials/${encodeURIComponent(id)}`, { schema: materialSchema, signal });
}

export function createMaterial(body: MaterialInput): Promise<Material> {
  return apiRequest('/materials', { method: 'POST', body, schema: materialSchema });
}

export function updateMaterial(id: string, body: MaterialPatch): Promise<Material> {
  return apiRequest(`/materials/${encodeURIComponent(id)}`, { method: 'PATCH', body, schema: materialSchema });
}

export async function deleteMaterial(id: string): Promise<void> {
  await apiRequest(`/materials/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Every saved version, newest first. */
export async function listMaterialVersions(id: string, signal?: AbortSignal): Promise<MaterialVersion[]> {
  return (await apiRequest(`/materials/${encodeURIComponent(id)}/versions`, { schema: materialVersionListSchema, signal })).items;
}

/** A signed 24-hour link to the material's H5 page (扫描二维码预览). */
export function createMaterialPreviewLink(id: string): Promise<{ url: string }> {
  return apiRequest(`/materials/${encodeURIComponent(id)}/preview-link`, { method: 'POST', schema: materialPreviewLinkSchema });
}

// ---------------------------------------------------------------- segments (客户细分)

const segmentPageSchema = pagedSchema(segmentSchema);

export function listSegments(params: { page?: number; pageSize?: number; q?: string }, signal?: AbortSignal): Promise<Paged<Segment>> {
  return apiRequest(withQuery('/segments', { ...params }), { schema: segmentPageSchema, signal });
}

export function getSegment(id: string, signal?: AbortSignal): Promise<Segment> {
  return apiRequest(`/segments/${encodeURIComponent(id)}`, { schema: segmentSchema, signal });
}

export function createSegment(body: SegmentInput): Promise<Segment> {
  return apiRequest('/segments', { method: 'POST', body, schema: segmentSchema });
}

export function updateSegment(id: string, body: SegmentPatch): Promise<Segment> {
  return apiRequest(`/segments/${encodeURIComponent(id)}`, { method: 'PATCH', body, schema: segmentSchema });
}

export async function deleteSegment(id: string): Promise<void> {
  await apiRequest(`/segments/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Live count, WeChat reach and a sample of the contacts the rules select. */
export function previewSegment(rules: SegmentRules, signal?: AbortSignal): Promise<SegmentPreview> {
  return apiRequest('/segments/preview', { method: 'POST', body: { rules }, schema: segmentPreviewSchema, signal });
}

// ---------------------------------------------------------------- campaigns (营销方案)

const campaignPageSchema = pagedSchema(campaignSchema);

export function listCampaigns(params: { page?: number; pageSize?: number; q?: string; status?: CampaignStatus }, signal?: AbortSignal): Promise<Paged<Campaign>> {
  return apiRequest(withQuery('/campaigns', { ...params }), { schema: campaignPageSchema, signal });
}

export function getCampaign(id: string, signal?: AbortSignal): Promise<Campaign> {
  return apiRequest(`/campaigns/${encodeURIComponent(id)}`, { schema: campaignSchema, signal });
}

export function createCampaign(body: CampaignInput): Promise<Campaign> {
  return apiRequest('/campaigns', { method: 'POST', body, schema: campaignSchema });
}

export function updateCampaign(id: string, body: CampaignPatch): Promise<Campaign> {
  return apiRequest(`/campaigns/${encodeURIComponent(id)}`, { method: 'PATCH', body, schema: campaignSchema });
}

export async function deleteCampaign(id: string): Promise<void> {
  await apiRequest(`/campaigns/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel';

/** 启动 / 暂停 / 继续 / 取消: answers the campaign in its new state. */
export function campaignAction(id: string, action: CampaignAction): Promise<Campaign> {
  return apiRequest(`/campaigns/${encodeURIComponent(id)}/${action}`, { method: 'POST', schema: campaignSchema });
}

/** 测试发送: the exact message to the caller's own WeChat (mass/preview). */
export async function testSendCampaign(id: string): Promise<void> {
  await apiRequest(`/campaigns/${encodeURIComponent(id)}/test-send`, { method: 'POST' });
}

export function getCampaignProgress(id: string, signal?: AbortSignal): Promise<CampaignProgress> {
  return apiRequest(`/campaigns/${encodeURIComponent(id)}/progress`, { schema: campaignProgressSchema, signal });
}
