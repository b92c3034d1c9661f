// Test data, one call per thing a test needs, in two kinds:
// - through the models and services: createCustomer → createContact → createProduct;
//   createEngineer / createDispatcher; customer sessions;
// - through the HTTP API of a running test server, checking each answer: staffLogin, staffSession,
//   mpSession, createCustomerViaApi → createContactViaApi.
import { randomUUID } from 'node:crypto';
import type { StaffRole } from '@qiao/shared';
import mongoose from 'mongoose';
import { expect } from 'vitest';
import { Contact } from '../../src/modules/customers/contact.model.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { ProductArchive } from '../../src/modules/customers/product-archive.model.js';
import { refreshContactSearch, refreshCustomerSearch, refreshProductSearch } from '../../src/modules/customers/search.service.js';
import { Upload } from '../../src/modules/files/upload.model.js';
import { createSession } from '../../src/modules/identity/session.service.js';
import { createStaff } from '../../src/modules/identity/staff.service.js';
import { Staff } from '../../src/modules/identity/staff.model.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import type { Sandbox } from '../../src/wechat/sandbox/index.js';
import { ADMIN_PASSWORD, call, type TestServer } from './server.js';

let seq = 0;
/** Unique per test process: codes, usernames, names, serial numbers, openids. */
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(seq += 1).toString(36).padStart(3, '0')}`;
let phoneSeq = Math.floor(Math.random() * 1_000_000);
/** A valid mainland mobile number, unique per test process. */
export const uniquePhone = () => `139${String((phoneSeq += 1) % 100_000_000).padStart(8, '0')}`;

/** YYYY-MM-DD `days` from today (UTC). */
export const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

// ---- Through the models and services ----

export async function createCustomer(fields: { name?: string; region?: string; department?: string; address?: string } = {}) {
  const customer = await Customer.create({
    code: unique('KH'),
    name: fields.name ?? '杭州西湖酒店',
    region: fields.region ?? '杭州',
    department: fields.department ?? '服务一部',
    address: fields.address ?? '杭州市西湖区北山街 1 号',
  });
  // Search keys, as the service keeps them.
  await refreshCustomerSearch(String(customer._id));
  return customer.toObject();
}

type Ref = { _id: mongoose.Types.ObjectId };
export type CustomerRecord = Awaited<ReturnType<typeof createCustomer>>;
export type ContactRecord = Awaited<ReturnType<typeof createContact>>;

/** Contacts and devices carry their customer's department, as the services write them. */
async function departmentOf(customer: Ref): Promise<string> {
  const doc = await Customer.findById(customer._id, { department: 1 }).lean<{ department?: string | null }>();
  return doc?.department ?? '';
}

export async function createContact(customer: Ref, fields: { name?: string; phone?: string } = {}) {
  const department = await departmentOf(customer);
  const contact = await Contact.create({ customerId: customer._id, department, name: fields.name ?? '李经理', phone: fields.phone ?? uniquePhone() });
  await refreshContactSearch(String(contact._id));
  return contact.toObject();
}

export async function createProduct(
  customer: Ref,
  fields: { productLine?: string; model?: string; address?: string; warrantyEndsAt?: Date } = {},
) {
  const product = await ProductArchive.create({
    serialNumber: unique('SN-'),
    model: fields.model ?? 'KFR-72LW',
    productLine: fields.productLine ?? '空调',
    customerId: customer._id,
    department: await departmentOf(customer),
    installedAt: new Date('2025-06-01T00:00:00Z'),
    warrantyEndsAt: fields.warrantyEndsAt ?? new Date('2027-06-01T00:00:00Z'),
    address: fields.address ?? '',
  });
  await refreshProductSearch(String(product._id));
  return product.toObject();
}

export interface StaffFields {
  name?: string;
  department?: string | null;
  phone?: string;
  regions?: string[];
  productLines?: string[];
  active?: boolean;
}

/** A staff member with a session token (as after a console login). */
export async function createStaffMember(role: StaffRole, fields: StaffFields = {}) {
  const staff = await Staff.create({
    username: unique('u').toLowerCase(),
    name: fields.name ?? `${role}-${seq}`,
    // Nobody logs in with a password here: tests hold a session instead.
    passwordHash: 'scrypt$test$unused',
    role,
    department: fields.department === undefined ? '服务一部' : fields.department,
    phone: fields.phone ?? uniquePhone(),
    regions: fields.regions ?? [],
    productLines: fields.productLines ?? [],
    active: fields.active ?? true,
  });
  const { token } = await createSession('staff', String(staff._id));
  return { id: String(staff._id), doc: staff.toObject(), token };
}

export const createEngineer = (fields: StaffFields = {}) =>
  createStaffMember('engineer', { regions: ['杭州'], productLines: ['空调'], ...fields, name: fields.name ?? `张工${seq}` });
export const createDispatcher = (department = '服务一部', fields: StaffFields = {}) => createStaffMember('dispatcher', { ...fields, department });

/**
 * The engineer's WeChat bound by invite code: their mini-program session is a staff session.
 * With a sandbox, the mini-program user is registered there so subscribe messages are delivered.
 */
export async function bindEngineerWeChat(engineer: { id: string }, sandbox?: Sandbox) {
  const mpOpenid = unique('oMpEng');
  const user = await WeChatUser.create({ _id: randomUUID(), mpOpenid, staffId: engineer.id });
  await Staff.updateOne({ _id: engineer.id }, { $set: { wechatUserId: user._id } });
  sandbox?.mintLoginCode({ openid: mpOpenid });
  const { token } = await createSession('customer', user._id);
  return { mpOpenid, wechatUserId: user._id, token };
}

export interface CustomerSessionOptions {
  customer?: CustomerRecord;
  contact?: ContactRecord;
  /** Follows the Official Account (default true); registered in the sandbox when given. */
  follows?: boolean;
  /** Registered as following in the sandbox even when `follows` says otherwise (WeChat knows better). */
  sandbox?: Sandbox;
  sandboxFollows?: boolean;
  verified?: boolean;
}

/** A customer's mini-program session: a WeChat user (optionally verified as a contact) and its token. */
export async function customerSession(options: CustomerSessionOptions = {}) {
  const verified = options.verified ?? true;
  const customer = options.customer ?? (verified ? await createCustomer() : null);
  const contact = options.contact ?? (customer && verified ? await createContact(customer) : null);
  const follows = options.follows ?? true;
  const oaOpenid = unique('oOaCust');
  const user = await WeChatUser.create({
    _id: randomUUID(),
    mpOpenid: unique('oMpCust'),
    oaOpenid,
    subscribed: follows,
    contactId: verified && contact ? String(contact._id) : null,
  });
  options.sandbox?.registerUser({ openid: oaOpenid, subscribed: options.sandboxFollows ?? follows });
  const { token } = await createSession('customer', user._id);
  return { token, wechatUserId: user._id, oaOpenid, customer, contact };
}

export const verifiedCustomerSession = (options: Omit<CustomerSessionOptions, 'verified'> = {}) => customerSession({ ...options, verified: true });

/** An uploaded image, not yet attached (what POST /uploads leaves behind). */
export async function createUpload(uploader: { kind: 'wechatUser' | 'staff'; id: string }) {
  const upload = await Upload.create({
    _id: new mongoose.Types.ObjectId(),
    uploader,
    contentType: 'image/png',
    size: 68,
    attachedTo: null,
    createdAt: new Date(),
  });
  return String(upload._id);
}

// ---- Through the HTTP API of a running test server ----

export async function staffLogin(server: TestServer, username: string, password: string): Promise<string> {
  const response = await call(server.url, '/api/v1/auth/login', { body: { username, password } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.token as string;
}

export const adminToken = (server: TestServer) => staffLogin(server, 'admin', ADMIN_PASSWORD);

/** A new staff member of `role` (created with a password) and a console session of theirs, by logging in. */
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

export async function createCustomerViaApi(server: TestServer, token: string, body: Record<string, unknown> = {}) {
  const response = await call(server.url, '/api/v1/customers', { token, body: { name: unique('客户'), region: '上海', ...body } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; code: string; name: string };
}

export async function createContactViaApi(server: TestServer, token: string, customerId: string, phone = uniquePhone(), name = '张三') {
  const response = await call(server.url, '/api/v1/contacts', { token, body: { customerId, name, phone } });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body as { id: string; phone: string; name: string; customerId: string; customerName: string };
}
