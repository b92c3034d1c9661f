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
  keyPageFields,
  pagedSchema,
  productArchiveInputSchema,
  productArchiveSchema,
  productListQuerySchema,
} from '@qiao/shared';
import { z } from 'zod';
import { requireCustomerPrincipal } from '../../http/auth.js';
import { recordRoutes } from '../../http/record-routes.js';
import type { Access, ApiRoutes } from '../../http/route.js';
import { createContact, deleteContact, getContact, listContacts, updateContact } from './contact.service.js';
import { getCustomer360 } from './customer360.service.js';
import { createCustomer, listCustomers, updateCustomer } from './customer.service.js';
import { createProduct, getProduct, listMyProducts, listProducts, updateProduct } from './product-archive.service.js';

/** Who works with customer records in the console (admin implied). */
export const CUSTOMER_STAFF: Access = { staff: ['dispatcher', 'sales', 'manager'] };

export function customerRoutes(api: ApiRoutes): void {
  recordRoutes(api, {
    path: '/api/v1/customers', access: CUSTOMER_STAFF, record: customerSchema,
    list: { summary: '客户列表（搜索、分页）', query: customerListQuerySchema, response: pagedSchema(customerSchema).extend(keyPageFields), run: listCustomers },
    create: { summary: '新建客户', body: customerInputSchema, run: createCustomer },
    read: { summary: '客户360视图：客户资料及联系人、设备、服务请求、线索与商机、营销、跟进、归属记录', response: customer360Schema, run: getCustomer360 },
    update: { method: 'put', summary: '修改客户', body: customerInputSchema, run: updateCustomer },
  });
  recordRoutes(api, {
    path: '/api/v1/contacts', access: CUSTOMER_STAFF, record: contactSchema,
    list: { summary: '联系人列表（搜索、分页）', query: contactListQuerySchema, response: pagedSchema(contactSchema).extend(keyPageFields), run: listContacts },
    create: { summary: '新建联系人', body: contactInputSchema, run: createContact },
    read: { summary: '联系人详情', run: getContact },
    update: { method: 'put', summary: '修改联系人', body: contactInputSchema, run: updateContact },
    remove: { summary: '删除联系人（已验证的微信用户随之解除绑定）', run: deleteContact },
  });
  recordRoutes(api, {
    path: '/api/v1/products', access: CUSTOMER_STAFF, record: productArchiveSchema,
    list: { summary: '产品档案列表（搜索、保修状态、分页）', query: productListQuerySchema, response: pagedSchema(productArchiveSchema).extend(keyPageFields), run: listProducts },
    create: { summary: '新建产品档案', body: productArchiveInputSchema, run: createProduct },
    read: { summary: '产品档案详情', run: getProduct },
    update: { method: 'put', summary: '修改产品档案', body: productArchiveInputSchema, run: updateProduct },
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
