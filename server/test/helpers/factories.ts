// Test data through the models and services, one call per thing a test needs:
// createCustomer → createContact → createProduct; createEngineer / createDispatcher; sessions.
import { randomUUID } from 'node:crypto';
import type { StaffRole } from '@qiao/shared';
import mongoose from 'mongoose';
import { Contact } from '../../src/modules/customers/contact.model.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { ProductArchive } from '../../src/modules/customers/product-archive.model.js';
import { Upload } from '../../src/modules/files/upload.model.js';
import { createSession } from '../../src/modules/identity/session.service.js';
import { Staff } from '../../src/modules/identity/staff.model.js';
import { WeChatUser } from '../../src/modules/identity/wechat-user.model.js';
import type { Sandbox } from '../../src/wechat/sandbox/index.js';

let seq = 0;
/** Unique per test process: codes, usernames, serial numbers, openids. */
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(seq += 1).toString(36).padStart(3, '0')}`;
/** A valid, unique mainland mobile number. */
export const uniquePhone = () => `139${String(Date.now() % 1e5).padStart(5, '0')}${String((seq += 1) % 1000).padStart(3, '0')}`;

export async function createCustomer(fields: { name?: string; region?: string; department?: string; address?: string } = {}) {
  const customer = await Customer.create({
    code: unique('KH'),
    name: fields.name ?? '杭州西湖酒店',
    region: fields.region ?? '杭州',
    department: fields.department ?? '服务一部',
    address: fields.address ?? '杭州市西湖区北山街 1 号',
  });
  return customer.toObject();
}

type Ref = { _id: mongoose.Types.ObjectId };
export type CustomerRecord = Awaited<ReturnType<typeof createCustomer>>;
export type ContactRecord = Awaited<ReturnType<typeof createContact>>;

export async function createContact(customer: Ref, fields: { name?: string; phone?: string } = {}) {
  const contact = await Contact.create({ customerId: customer._id, name: fields.name ?? '李经理', phone: fields.phone ?? uniquePhone() });
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
    installedAt: new Date('2025-06-01T00:00:00Z'),
    warrantyEndsAt: fields.warrantyEndsAt ?? new Date('2027-06-01T00:00:00Z'),
    address: fields.address ?? '',
  });
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
