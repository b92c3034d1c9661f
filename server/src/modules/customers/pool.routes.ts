// The public pool (客户公海) and ownership moves: the pool list, claim / release / transfer, bulk
// reassignment, lock, a customer's ownership history, and the pool rules (公海规则).
import {
  collaboratorsInputSchema,
  customerSchema,
  lockInputSchema,
  objectIdParamSchema,
  ownershipEventSchema,
  pagedSchema,
  poolCustomerSchema,
  poolListQuerySchema,
  poolOwnerSchema,
  poolQuotaSchema,
  poolRulesSchema,
  reassignInputSchema,
  reassignResultSchema,
  releaseInputSchema,
  transferInputSchema,
} from '@qiao/shared';
import { z } from 'zod';
import { requireStaffPrincipal } from '../../http/auth.js';
import type { Access, ApiRoutes } from '../../http/route.js';
import { openCustomer } from './customer.service.js';
import { ownershipHistory } from './ownership.service.js';
import { readPoolRules, savePoolRules } from './pool-rules.js';
import { claimCustomer, listPool, poolQuota, setCollaborators, transferTargets, reassignCustomers, releaseCustomer, setCustomerLocked, transferCustomer } from './pool.service.js';

/** Who works with the pool (admin implied). */
const POOL_STAFF: Access = { staff: ['sales', 'manager'] };
const MANAGERS: Access = { staff: ['manager'] };
const CUSTOMER_STAFF: Access = { staff: ['dispatcher', 'sales', 'manager'] };

export function poolRoutes(api: ApiRoutes): void {
  api.add({
    method: 'get',
    path: '/api/v1/pool',
    access: POOL_STAFF,
    summary: '客户公海（搜索、地区、行业、分页；销售看到的电话已脱敏）',
    response: pagedSchema(poolCustomerSchema).extend({ totalCapped: z.boolean() }),
    query: poolListQuerySchema,
    handler: ({ principal, query }) => listPool(requireStaffPrincipal(principal), query),
  });
  api.add({
    method: 'get',
    path: '/api/v1/pool/quota',
    access: POOL_STAFF,
    summary: '我名下的客户数与上限',
    response: poolQuotaSchema,
    handler: ({ principal }) => poolQuota(requireStaffPrincipal(principal)),
  });
  api.add({
    method: 'get',
    path: '/api/v1/pool/owners',
    access: POOL_STAFF,
    summary: '可接收客户的人员（转交、批量转移时选择）',
    response: z.array(poolOwnerSchema),
    handler: ({ principal }) => transferTargets(requireStaffPrincipal(principal)),
  });
  api.add({
    method: 'post',
    path: '/api/v1/customers/reassign',
    access: MANAGERS,
    summary: '批量转移某人的全部客户（可重复调用以继续）',
    response: reassignResultSchema,
    body: reassignInputSchema,
    handler: ({ principal, body }) => reassignCustomers(requireStaffPrincipal(principal), body),
  });
  api.add({
    method: 'post',
    path: '/api/v1/customers/:id/claim',
    access: POOL_STAFF,
    summary: '申领公海客户（受最大客户数限制；并发申领只有一人成功）',
    response: customerSchema,
    params: objectIdParamSchema,
    handler: ({ principal, params }) => claimCustomer(requireStaffPrincipal(principal), params.id),
  });
  api.add({
    method: 'post',
    path: '/api/v1/customers/:id/release',
    access: POOL_STAFF,
    summary: '放回公海（专管业务员或销售经理，需填写原因）',
    response: customerSchema,
    params: objectIdParamSchema,
    body: releaseInputSchema,
    handler: ({ principal, params, body }) => releaseCustomer(requireStaffPrincipal(principal), params.id, body.reason),
  });
  api.add({
    method: 'post',
    path: '/api/v1/customers/:id/transfer',
    access: POOL_STAFF,
    summary: '转交客户（给在职销售，受接收人最大客户数限制）',
    response: customerSchema,
    params: objectIdParamSchema,
    body: transferInputSchema,
    handler: ({ principal, params, body }) => transferCustomer(requireStaffPrincipal(principal), params.id, body),
  });
  api.add({
    method: 'put',
    path: '/api/v1/customers/:id/collaborators',
    access: POOL_STAFF,
    summary: '设置协作人（专管业务员或销售经理；协作人与专管业务员一样可以查看和跟进）',
    response: customerSchema,
    params: objectIdParamSchema,
    body: collaboratorsInputSchema,
    handler: ({ principal, params, body }) => setCollaborators(requireStaffPrincipal(principal), params.id, body.staffIds),
  });
  api.add({
    method: 'put',
    path: '/api/v1/customers/:id/lock',
    access: MANAGERS,
    summary: '锁定 / 解锁客户（锁定的客户不会自动退回公海）',
    response: customerSchema,
    params: objectIdParamSchema,
    body: lockInputSchema,
    handler: ({ principal, params, body }) => setCustomerLocked(requireStaffPrincipal(principal), params.id, body.locked),
  });
  api.add({
    method: 'get',
    path: '/api/v1/customers/:id/ownership',
    access: CUSTOMER_STAFF,
    summary: '客户归属变更记录',
    response: z.array(ownershipEventSchema),
    params: objectIdParamSchema,
    handler: async ({ principal, params }) => {
      await openCustomer(requireStaffPrincipal(principal), params.id);
      return ownershipHistory(params.id);
    },
  });
  api.add({
    method: 'get',
    path: '/api/v1/settings/pool',
    access: POOL_STAFF,
    summary: '公海规则',
    response: poolRulesSchema,
    handler: () => readPoolRules(),
  });
  api.add({
    method: 'put',
    path: '/api/v1/settings/pool',
    access: { staff: ['admin'] },
    summary: '修改公海规则（管理员）',
    response: poolRulesSchema,
    body: poolRulesSchema,
    handler: ({ principal, body }) => savePoolRules(body, requireStaffPrincipal(principal).staffId),
  });
}
