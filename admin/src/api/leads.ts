// 线索: list, detail, create and edit (with the duplicate check), assignment, collaborators, Excel
// export; 撞单 on demand and its rules.
import {
  duplicateCheckResultSchema,
  duplicateSettingsSchema,
  leadBulkAssignResultSchema,
  leadCollaboratorSchema,
  leadCreateResultSchema,
  leadDuplicateErrorDataSchema,
  leadSchema,
  leadPageSchema,
  type DuplicateCheckInput,
  type DuplicateCheckResult,
  type DuplicateSettings,
  type Lead,
  type LeadBulkAssignResult,
  type LeadCreateResult,
  type LeadDuplicateErrorData,
  type LeadFilters,
  type LeadInput,
  type LeadPage,
  type LeadListQuery,
  type LeadStatus,
  type LeadUpdate,
} from '@qiao/shared';
import { z } from 'zod';
import { ApiError, apiRequest, withQuery } from './client';

const leadPath = (id: string, rest = '') => `/leads/${encodeURIComponent(id)}${rest}`;

export function listLeads(query: Partial<LeadListQuery>, signal?: AbortSignal): Promise<LeadPage> {
  return apiRequest(withQuery('/leads', { ...query }), { schema: leadPageSchema, signal });
}

export function getLead(id: string, signal?: AbortSignal): Promise<Lead> {
  return apiRequest(leadPath(id), { schema: leadSchema, signal });
}

/** POST /leads: 409 LEAD_DUPLICATE when refused (see `duplicateOf`); saved with `warnings` in warning mode. */
export function createLead(input: LeadInput, options: { confirm?: boolean } = {}): Promise<LeadCreateResult> {
  return apiRequest(withQuery('/leads', { confirm: options.confirm ? '1' : undefined }), { method: 'POST', body: input, schema: leadCreateResultSchema });
}

/** PATCH /leads/:id: in warning mode a conflict is refused until `confirm`. */
export function updateLead(id: string, patch: LeadUpdate, options: { confirm?: boolean } = {}): Promise<Lead> {
  return apiRequest(withQuery(leadPath(id), { confirm: options.confirm ? '1' : undefined }), { method: 'PATCH', body: patch, schema: leadSchema });
}

export function setLeadStatus(id: string, status: LeadStatus): Promise<Lead> {
  return updateLead(id, { status });
}

export function assignLead(id: string, ownerId: string): Promise<Lead> {
  return apiRequest(leadPath(id, '/assign'), { method: 'POST', body: { ownerId }, schema: leadSchema });
}

export function bulkAssignLeads(ids: string[], ownerId: string): Promise<LeadBulkAssignResult> {
  return apiRequest('/leads/assign', { method: 'POST', body: { ids, ownerId }, schema: leadBulkAssignResultSchema });
}

const colleaguesSchema = z.object({ items: z.array(leadCollaboratorSchema) });

/** Active sales and managers a lead may be shared with. */
export async function listLeadColleagues(signal?: AbortSignal): Promise<Array<{ id: string; name: string }>> {
  return (await apiRequest('/leads/colleagues', { schema: colleaguesSchema, signal })).items;
}

export function setLeadCollaborators(id: string, staffIds: string[]): Promise<Lead> {
  return apiRequest(leadPath(id, '/collaborators'), { method: 'PUT', body: { staffIds }, schema: leadSchema });
}

/** The export's path (for downloadExport): the list's filters, no paging. */
export function leadsExportPath(filters: Partial<LeadFilters>): string {
  return withQuery('/leads/export', { ...filters });
}

export function checkDuplicates(input: DuplicateCheckInput, signal?: AbortSignal): Promise<DuplicateCheckResult> {
  return apiRequest('/duplicates/check', { method: 'POST', body: input, schema: duplicateCheckResultSchema, signal });
}

export function getDuplicateSettings(signal?: AbortSignal): Promise<DuplicateSettings> {
  return apiRequest('/settings/duplicates', { schema: duplicateSettingsSchema, signal });
}

export function saveDuplicateSettings(settings: DuplicateSettings): Promise<DuplicateSettings> {
  return apiRequest('/settings/duplicates', { method: 'PUT', body: settings, schema: duplicateSettingsSchema });
}

/** The matches of a LEAD_DUPLICATE refusal, or null for any other error. */
export function duplicateOf(error: unknown): LeadDuplicateErrorData | null {
  if (!(error instanceof ApiError) || error.code !== 'LEAD_DUPLICATE') return null;
  const parsed = leadDuplicateErrorDataSchema.safeParse(error.data);
  return parsed.success ? parsed.data : null;
}
