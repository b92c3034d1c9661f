// Spread (传播): share trees, 营销达人, funnels and comparisons with Excel export, and 线索.
import { apiErrorSchema } from '@qiao/shared';
import { API_BASE, ApiError, NETWORK_ERROR_MESSAGE, apiRequest, withQuery } from './client';
import { sessionStore } from './session';

export type NodeKind = 'staff' | 'customer' | 'visitor';

export interface Reach {
  views: number;
  uniqueVisitors: number;
}

export interface ShareTreeNode {
  token: string;
  parent: string | null;
  depth: number;
  name: string | null;
  kind: string;
  views: number;
  shares: number;
  uniqueVisitors: number;
  intents: number;
  leads: number;
  subtree: { views: number; uniqueVisitors: number; intents: number; leads: number; nodes: number };
  childCount: number;
}

export interface ShareTree {
  stats: { nodes: number; maxDepth: number; maxFanout: number; views: number; uniqueVisitors: number };
  nodes: ShareTreeNode[];
}

export interface ShareTreeQuery {
  parent?: string;
  q?: string;
  from?: string;
  to?: string;
}

export function getShareTree(campaignId: string, query: ShareTreeQuery, signal?: AbortSignal): Promise<ShareTree> {
  return apiRequest<ShareTree>(withQuery(`/campaigns/${encodeURIComponent(campaignId)}/share-tree`, { ...query }), { signal });
}

export interface Spreader {
  rank: number;
  kind: 'staff' | 'customer';
  id: string;
  name: string;
  direct: Reach;
  indirect: Reach;
  intents: number;
  leads: number;
}

export interface SpreaderQuery {
  campaignId?: string;
  kind?: 'staff' | 'customer';
  page?: number;
  pageSize?: number;
}

export interface SpreaderPage {
  items: Spreader[];
  total: number;
  page: number;
  pageSize: number;
}

export function listSpreaders(query: SpreaderQuery, signal?: AbortSignal): Promise<SpreaderPage> {
  return apiRequest<SpreaderPage>(withQuery('/spreaders', { ...query }), { signal });
}

export interface Funnel {
  targeted: number;
  delivered: number;
  failed: Record<string, number>;
  read: number;
  shared: number;
  uniqueVisitors: number;
  intents: number;
  leads: number;
}

export function getFunnel(campaignId: string, signal?: AbortSignal): Promise<Funnel> {
  return apiRequest<Funnel>(`/campaigns/${encodeURIComponent(campaignId)}/funnel`, { signal });
}

export function funnelExportPath(campaignId: string): string {
  return `/campaigns/${encodeURIComponent(campaignId)}/funnel?format=xlsx`;
}

/** The file name a Content-Disposition header gives (RFC 6266: filename* wins over filename). */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(disposition);
  if (extended?.[2]) {
    try {
      return decodeURIComponent(extended[2].trim().replace(/^"|"$/g, ''));
    } catch {
      // A malformed escape: fall through to the plain name.
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(disposition);
  const name = plain?.[2] ?? plain?.[1]?.trim();
  return name || fallback;
}

/**
 * Downloads an export of the API (an .xlsx) with the session's bearer token: a plain link could
 * not send it. Errors come back as ApiError like any other call.
 */
export async function downloadExport(path: string, fallbackName: string): Promise<string> {
  const token = sessionStore.token();
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', NETWORK_ERROR_MESSAGE);
  }
  if (!response.ok) {
    const parsed = apiErrorSchema.safeParse(await response.json().catch(() => undefined));
    throw parsed.success
      ? new ApiError(response.status, parsed.data.error.code, parsed.data.error.message)
      : new ApiError(response.status, `HTTP_${response.status}`, '导出失败，请稍后重试');
  }
  const blob = await response.blob();
  const name = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoked a moment later: some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** The campaign a share tree or funnel page is about (its name for the heading). */
export interface CampaignBrief {
  id: string;
  name: string;
  status: string;
}

export function getCampaignBrief(id: string, signal?: AbortSignal): Promise<CampaignBrief> {
  return apiRequest<CampaignBrief>(`/campaigns/${encodeURIComponent(id)}`, { signal });
}

/** Why a delivery failed or was skipped (the stable reason codes of the campaign progress). */
export const deliveryReasonLabels: Record<string, string> = {
  'outside-window': '超出 48 小时互动窗口',
  unsubscribed: '已取消关注',
  'opted-out': '已退订',
  'frequency-cap': '超过发送频率上限',
  'no-wechat': '未绑定微信',
  quota: '本月群发次数已用完',
  error: '发送出错',
};

export function deliveryReasonLabel(code: string): string {
  return deliveryReasonLabels[code] ?? `其他（${code}）`;
}

/** Campaigns for pickers (filters of 营销达人 and 线索): the newest 100, filtered in the browser. */
export async function listCampaignChoices(signal?: AbortSignal): Promise<CampaignBrief[]> {
  const page = await apiRequest<{ items: CampaignBrief[] }>(withQuery('/campaigns', { pageSize: 100 }), { signal });
  return page.items;
}

export const leadStatuses = ['new', 'assigned', 'following', 'converted', 'closed'] as const;
export type LeadStatus = (typeof leadStatuses)[number];
export const leadSources = ['campaign', 'official-account', 'manual', 'import'] as const;
export type LeadSource = (typeof leadSources)[number];

export interface Lead {
  id: string;
  company: string;
  name: string;
  phone: string;
  email: string;
  region: string;
  industry: string;
  products: string[];
  source: LeadSource;
  status: LeadStatus;
  ownerId: string | null;
  ownerName: string | null;
  campaignId: string | null;
  campaignName: string | null;
  shareToken: string | null;
  sharePath: Array<{ token: string; name: string | null; kind: string }>;
  notes: string;
  createdAt: string;
}

export interface LeadQuery {
  status?: LeadStatus;
  source?: LeadSource;
  campaignId?: string;
  ownerId?: string;
  q?: string;
  page?: number;
  pageSize?: number;
}

export interface LeadPage {
  items: Lead[];
  total: number;
  page: number;
  pageSize: number;
}

export function listLeads(query: LeadQuery, signal?: AbortSignal): Promise<LeadPage> {
  return apiRequest<LeadPage>(withQuery('/leads', { ...query }), { signal });
}

export function getLead(id: string, signal?: AbortSignal): Promise<Lead> {
  return apiRequest<Lead>(`/leads/${encodeURIComponent(id)}`, { signal });
}

export function assignLead(id: string, ownerId: string): Promise<Lead> {
  return apiRequest<Lead>(`/leads/${encodeURIComponent(id)}/assign`, { method: 'POST', body: { ownerId } });
}

export function setLeadStatus(id: string, status: LeadStatus): Promise<Lead> {
  return apiRequest<Lead>(`/leads/${encodeURIComponent(id)}`, { method: 'PATCH', body: { status } });
}
