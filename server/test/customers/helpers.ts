// Helpers for the customer, verification, staff and upload tests: sessions of every kind and
// customer records, all through the real API of a test server.
import type { StaffRole } from '@qiao/shared';
import { expect } from 'vitest';
import { createStaff } from '../../src/modules/identity/staff.service.js';
import { ADMIN_PASSWORD, call, type TestServer } from '../helpers/server.js';

let seq = 0;
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(seq += 1)}`;

export async function staffLogin(server: TestServer, username: string, password: string): Promise<string> {
  const response = await call(server.url, '/api/v1/auth/login', { body: { username, password } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.token as string;
}

export const adminToken = (server: TestServer) => staffLogin(server, 'admin', ADMIN_PASSWORD);

/** A new staff member of `role` (created in the database) and a console session of theirs. */
export async function staffSession(
  server: TestServer,
  role: StaffRole,
  extra: { department?: string } = {},
): Promise<{ token: string; id: string; username: string }> {
  const username = unique(role).toLowerCase();
  const password = 'staff-pass-123';
  const user = await createStaff({ username, name: `${role}-${username}`, password, role, department: extra.department ?? null });
  return { token: await staffLogin(server, username, password), id: user.id, username };
}

/** A mini-program session of a new (or the given) openid, logged in through the sandbox. */
export async function mpSession(server: TestServer, openid = unique('oMp')): Promise<{ token: string; userId: string; openid: string }> {
  const minted = await call(server.sandbox.url, '/mp/login-code', { body: { openid } });
  expect(minted.status).toBe(200);
  const response = await call(server.url, '/api/v1/auth/mp-login', { body: { code: minted.body.code } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return { token: response.body.token as string, userId: response.body.user.id as string, openid };
}

/** A unique valid mainland mobile number. */
let phoneSeq = Math.floor(Math.random() * 1_000_000);
export const newPhone = () => `139${String((phoneSeq += 1) % 100_000_000).padStart(8, '0')}`;

export async function createCustomer(server: TestServer, token: string, body: Record<string, unknown> = {}) {
  const response = await call(server.url, '/api/v1/customers', { token, body: { name: unique('客户'), region: '上海', ...body } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; code: string; name: string };
}

export async function createContact(server: TestServer, token: string, customerId: string, phone = newPhone(), name = '张三') {
  const response = await call(server.url, '/api/v1/contacts', { token, body: { customerId, name, phone } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; phone: string; name: string; customerId: string; customerName: string };
}

/** YYYY-MM-DD `days` from today (UTC). */
export const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
