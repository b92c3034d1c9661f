// The public pool (客户公海), ownership moves and the pool rules (公海规则).
import { z } from 'zod';
import {
  customerSchema,
  ownershipEventSchema,
  pagedSchema,
  poolCustomerSchema,
  poolOwnerSchema,
  poolQuotaSchema,
  poolRulesSchema,
  reassignResultSchema,
  type Customer,
  type OwnershipEvent,
  type Paged,
  type PoolCustomer,
  type PoolOwner,
  type PoolQuota,
  type PoolRules,
  type ReassignInput,
  type ReassignResult,
  type TransferInput,
} from '@qiao/shared';
import { apiRequest, withQuery } from './client';

const poolPageSchema = pagedSchema(poolCustomerSchema).extend({ totalCapped: z.boolean() });

export interface PoolParams {
  page?: number;
  pageSize?: number;
  q?: string;
  region?: string;
  industry?: string;
}

export function listPool(params: PoolParams, signal?: AbortSignal): Promise<Paged<PoolCustomer> & { totalCapped: boolean }> {
  return apiRequest(withQuery('/pool', { ...params }), { schema: poolPageSchema, signal });
}

export function getPoolQuota(signal?: AbortSignal): Promise<PoolQuota> {
  return apiRequest('/pool/quota', { schema: poolQuotaSchema, signal });
}

export function listPoolOwners(signal?: AbortSignal): Promise<PoolOwner[]> {
  return apiRequest('/pool/owners', { schema: z.array(poolOwnerSchema), signal });
}

const customerPath = (id: string, action: string) => `/customers/${encodeURIComponent(id)}/${action}`;

export function claimCustomer(id: string): Promise<Customer> {
  return apiRequest(customerPath(id, 'claim'), { method: 'POST', schema: customerSchema });
}

export function releaseCustomer(id: string, reason: string): Promise<Customer> {
  return apiRequest(customerPath(id, 'release'), { method: 'POST', body: { reason }, schema: customerSchema });
}

export function transferCustomer(id: string, body: TransferInput): Promise<Customer> {
  return apiRequest(customerPath(id, 'transfer'), { method: 'POST', body, schema: customerSchema });
}

export function setCollaborators(id: string, staffIds: string[]): Promise<Customer> {
  return apiRequest(customerPath(id, 'collaborators'), { method: 'PUT', body: { staffIds }, schema: customerSchema });
}

export function lockCustomer(id: string, locked: boolean): Promise<Customer> {
  return apiRequest(customerPath(id, 'lock'), { method: 'PUT', body: { locked }, schema: customerSchema });
}

export function reassignCustomers(body: ReassignInput): Promise<ReassignResult> {
  return apiRequest('/customers/reassign', { method: 'POST', body, schema: reassignResultSchema });
}

export function getOwnershipHistory(id: string, signal?: AbortSignal): Promise<OwnershipEvent[]> {
  return apiRequest(customerPath(id, 'ownership'), { schema: z.array(ownershipEventSchema), signal });
}

export function getPoolRules(signal?: AbortSignal): Promise<PoolRules> {
  return apiRequest('/settings/pool', { schema: poolRulesSchema, signal });
}

export function savePoolRules(rules: PoolRules): Promise<PoolRules> {
  return apiRequest('/settings/pool', { method: 'PUT', body: rules, schema: poolRulesSchema });
}
