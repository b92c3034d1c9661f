// Customers, contacts and product archives for the console (dispatchers, sales, managers; admin),
// each within the caller's department subtree (admin: all), and the verified customer's own
// products in the mini-program.
import {
  contactInputSchema,
  customer360Schema,
  contactListQuerySchema,
  contactSchema,
  customerInputSchema,
  customerListQuerySchema,
  customerSchema,
  objectIdParamSchema,
  keyPageFields,
  pagedSchema,
  productArchiveInputSchema,
  productArchiveSchema,
  productListQuerySchema,
} from '@qiao/shared';
import { z } from 'zod';
import { requireCustomerPrincipal, requireStaffPrincipal } from '../../http/auth.js';
import type { Access, ApiRoutes } from '../../http/route.js';
import { createContact, deleteContact, getContact, listContacts, updateContact } from './contact.service.js';
import { getCustomer360 } from './customer360.service.js';
import { createCustomer, listCustomers, updateCustomer } from './customer.service.js';
import { createProduct, getProduct, listMyProducts, listProducts, updateProduct } from './product-archive.service.js';

/** Who works with customer records in the console (admin implied). */
export const CUSTOMER_STAFF: Access = { staff: ['dispatcher', 'sales', 'manager'] };

export function customerRoutes(api: ApiRoutes): void {
  // ---- customers ----
  api.add({
    method: 'get',
    path: '/api/v1/customers',
    access: CUSTOMER_STAFF,
    summary: '客户列表（搜索、分页）',
    response: pagedSchema(customerSchema).extend(keyPageFields),
    query: customerListQuerySchema,
    handler: ({ principal, query }) => listCustomers(requireStaffPrincipal(principal), query),
  });
  api.add({
    method: 'post',
    path: '/api/v1/customers',
    access: CUSTOMER_STAFF,
    summary: '新建客户',
    response: customerSchema,
    body: customerInputSchema,
    status: 201,
    handler: ({ principal, body }) => createCustomer(requireStaffPrincipal(principal), body),
  });
  api.add({
    method: 'get',
    path: '/api/v1/customers/:id',
    access: CUSTOMER_STAFF,
    summary: '客户360视图：客户资料及联系人、设备、服务请求、线索与商机、营销、跟进、归属记录',
    response: customer360Schema,
    params: objectIdParamSchema,
    handler: ({ principal, params }) => getCustomer360(requireStaffPrincipal(principal), params.id),
  });
  api.add({
    method: 'put',
    path: '/api/v1/customers/:id',
    access: CUSTOMER_STAFF,
    summary: '修改客户',
    response: customerSchema,
    params: objectIdParamSchema,
    body: customerInputSchema,
    handler: ({ principal, params, body }) => updateCustomer(requireStaffPrincipal(principal), params.id, body),
  });

  // ---- contacts ----
  api.add({
    method: 'get',
    path: '/api/v1/contacts',
    access: CUSTOMER_STAFF,
    summary: '联系人列表（搜索、分页）',
    response: pagedSchema(contactSchema).extend(keyPageFields),
    query: contactListQuerySchema,
    handler: ({ principal, query }) => listContacts(requireStaffPrincipal(principal), query),
  });
  api.add({
    method: 'post',
    path: '/api/v1/contacts',
    access: CUSTOMER_STAFF,
    summary: '新建联系人',
    response: contactSchema,
    body: contactInputSchema,
    status: 201,
    handler: ({ principal, body }) => createContact(requireStaffPrincipal(principal), body),
  });
  api.add({
    method: 'get',
    path: '/api/v1/contacts/:id',
    access: CUSTOMER_STAFF,
    summary: '联系人详情',
    response: contactSchema,
    params: objectIdParamSchema,
    handler: ({ principal, params }) => getContact(requireStaffPrincipal(principal), params.id),
  });
  api.add({
    method: 'put',
    path: '/api/v1/contacts/:id',
    access: CUSTOMER_STAFF,
    summary: '修改联系人',
    response: contactSchema,
    params: objectIdParamSchema,
    body: contactInputSchema,
    handler: ({ principal, params, body }) => updateContact(requireStaffPrincipal(principal), params.id, body),
  });
  api.add({
    method: 'delete',
    path: '/api/v1/contacts/:id',
    access: CUSTOMER_STAFF,
    summary: '删除联系人（已验证的微信用户随之解除绑定）',
    params: objectIdParamSchema,
    handler: ({ principal, params }) => deleteContact(requireStaffPrincipal(principal), params.id),
  });

  // ---- product archives ----
  api.add({
    method: 'get',
    path: '/api/v1/products',
    access: CUSTOMER_STAFF,
    summary: '产品档案列表（搜索、保修状态、分页）',
    response: pagedSchema(productArchiveSchema).extend(keyPageFields),
    query: productListQuerySchema,
    handler: ({ principal, query }) => listProducts(requireStaffPrincipal(principal), query),
  });
  api.add({
    method: 'post',
    path: '/api/v1/products',
    access: CUSTOMER_STAFF,
    summary: '新建产品档案',
    response: productArchiveSchema,
    body: productArchiveInputSchema,
    status: 201,
    handler: ({ principal, body }) => createProduct(requireStaffPrincipal(principal), body),
  });
  api.add({
    method: 'get',
    path: '/api/v1/products/:id',
    access: CUSTOMER_STAFF,
    summary: '产品档案详情',
    response: productArchiveSchema,
    params: objectIdParamSchema,
    handler: ({ principal, params }) => getProduct(requireStaffPrincipal(principal), params.id),
  });
  api.add({
    method: 'put',
    path: '/api/v1/products/:id',
    access: CUSTOMER_STAFF,
    summary: '修改产品档案',
    response: productArchiveSchema,
    params: objectIdParamSchema,
    body: productArchiveInputSchema,
    handler: ({ principal, params, body }) => updateProduct(requireStaffPrincipal(principal), params.id, body),
  });

  // ---- mini-program ----
  api.add({
    method: 'get',
    path: '/api/v1/me/products',
    access: 'customer',
    summary: '我的产品（已验证身份的客户）',
    response: z.object({ items: z.array(productArchiveSchema) }),
    handler: ({ principal }) => listMyProducts(requireCustomerPrincipal(principal).wechatUserId),
  });
}
