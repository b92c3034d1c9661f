// 线索转化, 关闭线索 and 商机 (POST /leads/:id/{convert,close,reopen}, /opportunities).
import {
  leadConvertResultSchema,
  leadSchema,
  opportunitySchema,
  opportunityPageSchema,
  type Lead,
  type LeadCloseInput,
  type LeadConvertInput,
  type LeadConvertResult,
  type Opportunity,
  type OpportunityCreateInput,
  type OpportunityListQuery,
  type OpportunityPage,
  type OpportunityPatch,
} from '@qiao/shared';
import { apiRequest, withQuery } from './client';

const leadPath = (id: string, action: string) => `/leads/${encodeURIComponent(id)}/${action}`;
const opportunityPath = (id: string) => `/opportunities/${encodeURIComponent(id)}`;

export function convertLead(id: string, body: LeadConvertInput): Promise<LeadConvertResult> {
  return apiRequest(leadPath(id, 'convert'), { method: 'POST', body, schema: leadConvertResultSchema });
}

export function closeLead(id: string, body: LeadCloseInput): Promise<Lead> {
  return apiRequest(leadPath(id, 'close'), { method: 'POST', body, schema: leadSchema });
}

export function reopenLead(id: string): Promise<Lead> {
  return apiRequest(leadPath(id, 'reopen'), { method: 'POST', schema: leadSchema });
}

export function listOpportunities(query: Partial<OpportunityListQuery>, signal?: AbortSignal): Promise<OpportunityPage> {
  return apiRequest(withQuery('/opportunities', { ...query }), { schema: opportunityPageSchema, signal });
}

export function getOpportunity(id: string, signal?: AbortSignal): Promise<Opportunity> {
  return apiRequest(opportunityPath(id), { schema: opportunitySchema, signal });
}

export function updateOpportunity(id: string, patch: OpportunityPatch): Promise<Opportunity> {
  return apiRequest(opportunityPath(id), { method: 'PATCH', body: patch, schema: opportunitySchema });
}

export function markOpportunityWon(id: string): Promise<Opportunity> {
  return apiRequest(`${opportunityPath(id)}/won`, { method: 'POST', schema: opportunitySchema });
}

export function markOpportunityLost(id: string, reason: string): Promise<Opportunity> {
  return apiRequest(`${opportunityPath(id)}/lost`, { method: 'POST', body: { reason }, schema: opportunitySchema });
}

export function createOpportunity(body: OpportunityCreateInput): Promise<Opportunity> {
  return apiRequest('/opportunities', { method: 'POST', body, schema: opportunitySchema });
}
