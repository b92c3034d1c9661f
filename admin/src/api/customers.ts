// Customers (客户), their contacts (联系人) and product archives (产品档案).
import {
  contactSchema,
  customerSchema,
  keyPageFields,
  pagedSchema,
  productArchiveSchema,
  type Contact,
  type ContactInput,
  type Customer,
  type CustomerInput,
  type Paged,
  type ProductArchive,
  type ProductArchiveInput,
  type WarrantyState,
} from '@qiao/shared';
import { apiRequest, withQuery } from './client';

const customerPageSchema = pagedSchema(customerSchema).extend(keyPageFields);
const contactPageSchema = pagedSchema(contactSchema).extend(keyPageFields);
const productPageSchema = pagedSchema(productArchiveSchema).extend(keyPageFields);

export interface PageParams {
  page?: number;
  pageSize?: number;
  q?: string;
}

export function listCustomers(
  params: PageParams & { region?: string; mine?: '1'; inPool?: '1' | '0'; ownerId?: string },
  signal?: AbortSignal,
): Promise<Paged<Customer>> {
  return apiRequest(withQuery('/customers', { ...params }), { schema: customerPageSchema, signal });
}

export function getCustomer(id: string, signal?: AbortSignal): Promise<Customer> {
  return apiRequest(`/customers/${encodeURIComponent(id)}`, { schema: customerSchema, signal });
}

export function createCustomer(body: CustomerInput): Promise<Customer> {
  return apiRequest('/customers', { method: 'POST', body, schema: customerSchema });
}

export function updateCustomer(id: string, body: CustomerInput): Promise<Customer> {
  return apiRequest(`/customers/${encodeURIComponent(id)}`, { method: 'PUT', body, schema: customerSchema });
}

export function listContacts(params: PageParams & { customerId?: string }, signal?: AbortSignal): Promise<Paged<Contact>> {
  return apiRequest(withQuery('/contacts', { ...params }), { schema: contactPageSchema, signal });
}

export function createContact(body: ContactInput): Promise<Contact> {
  return apiRequest('/contacts', { method: 'POST', body, schema: contactSchema });
}

export function updateContact(id: string, body: ContactInput): Promise<Contact> {
  return apiRequest(`/contacts/${encodeURIComponent(id)}`, { method: 'PUT', body, schema: contactSchema });
}

export async function deleteContact(id: string): Promise<void> {
  await apiRequest(`/contacts/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function listProducts(
  params: PageParams & { customerId?: string; warrantyState?: WarrantyState },
  signal?: AbortSignal,
): Promise<Paged<ProductArchive>> {
  return apiRequest(withQuery('/products', { ...params }), { schema: productPageSchema, signal });
}

export function createProduct(body: ProductArchiveInput): Promise<ProductArchive> {
  return apiRequest('/products', { method: 'POST', body, schema: productArchiveSchema });
}

export function updateProduct(id: string, body: ProductArchiveInput): Promise<ProductArchive> {
  return apiRequest(`/products/${encodeURIComponent(id)}`, { method: 'PUT', body, schema: productArchiveSchema });
}
