// Spread (传播): share trees, 营销达人, funnels and comparisons with Excel export, and 线索.
import {
  apiErrorSchema,
  campaignReportSchema,
  campaignSchema,
  deliveryReasonLabels,
  funnelSchema,
  leadSchema,
  pagedSchema,
  shareTreeSchema,
  spreaderSchema,
  type Campaign,
  type CampaignReport,
  type Funnel,
  type Lead,
  type LeadListQuery,
  type LeadStatus,
  type Paged,
  type ShareTree,
  type ShareTreeQuery,
  type Spreader,
  type SpreadersQuery,
} from '@qiao/shared';
import { API_BASE, ApiError, NETWORK_ERROR_MESSAGE, apiRequest, withQuery } from './client';
import { sessionStore } from './session';

const spreaderPageSchema = pagedSchema(spreaderSchema);
const leadPageSchema = pagedSchema(leadSchema);
const campaignPageSchema = pagedSchema(campaignSchema);

function campaignPath(id: string, rest = ''): string {
  return `/campaigns/${encodeURIComponent(id)}${rest}`;
}

/** GET /campaigns/:id/share-tree: the roots, a node's children (`parent`) or a search (`q`). */
export function getShareTree(campaignId: string, query: Partial<ShareTreeQuery>, signal?: AbortSignal): Promise<ShareTree> {
  return apiRequest(withQuery(campaignPath(campaignId, '/share-tree'), { ...query }), { schema: shareTreeSchema, signal });
}

export function listSpreaders(query: Partial<SpreadersQuery>, signal?: AbortSignal): Promise<Paged<Spreader>> {
  return apiRequest(withQuery('/spreaders', { ...query }), { schema: spreaderPageSchema, signal });
}

export function getFunnel(campaignId: string, signal?: AbortSignal): Promise<Funnel> {
  return apiRequest(campaignPath(campaignId, '/funnel'), { schema: funnelSchema, signal });
}

export function funnelExportPath(campaignId: string): string {
  return campaignPath(campaignId, '/funnel?format=xlsx');
}

/** GET /campaigns/report: every campaign started in the period and each channel, as funnels. */
export function getCampaignReport(period: { from?: string; to?: string }, signal?: AbortSignal): Promise<CampaignReport> {
  return apiRequest(withQuery('/campaigns/report', period), { schema: campaignReportSchema, signal });
}

export function campaignReportExportPath(period: { from?: string; to?: string }): string {
  return withQuery('/campaigns/report', { ...period, format: 'xlsx' });
}

export function deliveryReasonLabel(code: string): string {
  return (deliveryReasonLabels as Record<string, string>)[code] ?? `其他（${code}）`;
}

/** The campaign a share tree or funnel page is about (its name for the heading). */
export function getCampaignBrief(id: string, signal?: AbortSignal): Promise<Campaign> {
  return apiRequest(campaignPath(id), { schema: campaignSchema, signal });
}

/** Campaigns for pickers (filters of 营销达人 and 线索): the newest 100, filtered in the browser. */
export async function listCampaignChoices(signal?: AbortSignal): Promise<Campaign[]> {
  const page = await apiRequest(withQuery('/campaigns', { pageSize: 100 }), { schema: campaignPageSchema, signal });
  return page.items;
}

export function listLeads(query: Partial<LeadListQuery>, signal?: AbortSignal): Promise<Paged<Lead>> {
  return apiRequest(withQuery('/leads', { ...query }), { schema: leadPageSchema, signal });
}

export function getLead(id: string, signal?: AbortSignal): Promise<Lead> {
  return apiRequest(`/leads/${encodeURIComponent(id)}`, { schema: leadSchema, signal });
}

export function assignLead(id: string, ownerId: string): Promise<Lead> {
  return apiRequest(`/leads/${encodeURIComponent(id)}/assign`, { method: 'POST', body: { ownerId }, schema: leadSchema });
}

export function setLeadStatus(id: string, status: LeadStatus): Promise<Lead> {
  return apiRequest(`/leads/${encodeURIComponent(id)}`, { method: 'PATCH', body: { status }, schema: leadSchema });
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
    if (response.status === 401 && token) sessionStore.clear();
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

