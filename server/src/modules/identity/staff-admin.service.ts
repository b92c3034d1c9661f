// Staff management for the console: list with open work-order counts, create, update.
import { passwordProblem, type Colleague, type Paged, type StaffCreate, type StaffListQuery, type StaffMember, type StaffRole, type StaffUpdate } from '@qiao/shared';
import mongoose from 'mongoose';
import { badRequest, conflict, notFound } from '../../errors.js';
import { isDuplicateKey, isObjectIdString } from '../../lib/db.js';
import { paged, searchFilter, skipOf } from '../../lib/query.js';
import { hashPassword } from './password.js';
import { clearLoginFailures } from './login-guard.js';
import { endStaffSessions } from './session.service.js';
import { Staff, type StaffDoc } from './staff.model.js';

/** Work orders still on an engineer's plate (collection `work_orders`, built by the service flow). */
export const OPEN_WORK_ORDER_STATUSES = ['pending', 'accepted', 'in_progress'] as const;

const staffNotFound = () => notFound('STAFF_NOT_FOUND', '职员不存在');
const usernameTaken = (username: string) => conflict('USERNAME_TAKEN', `账号 ${username} 已被使用，请换一个`);

export async function openWorkOrderCount(staffId: mongoose.Types.ObjectId): Promise<number> {
  return mongoose.connection
    .collection('work_orders')
    .countDocuments({ engineerId: staffId, status: { $in: [...OPEN_WORK_ORDER_STATUSES] } });
}

export function toStaffMember(staff: StaffDoc, openWorkOrders: number): StaffMember {
  return {
    id: String(staff._id),
    username: staff.username,
    name: staff.name,
    role: staff.role as StaffRole,
    department: staff.department ?? '',
    phone: staff.phone ?? '',
    regions: [...(staff.regions ?? [])],
    productLines: [...(staff.productLines ?? [])],
    active: staff.active ?? true,
    wechatBound: Boolean(staff.wechatUserId),
    openWorkOrders,
  };
}

async function toMembers(docs: StaffDoc[]): Promise<StaffMember[]> {
  const counts = await Promise.all(docs.map((doc) => openWorkOrderCount(doc._id)));
  return docs.map((doc, index) => toStaffMember(doc, counts[index] ?? 0));
}

export async function listStaff(query: StaffListQuery): Promise<Paged<StaffMember>> {
  const filter = {
    ...searchFilter(query.q, ['name', 'username', 'phone', 'department']),
    ...(query.role ? { role: query.role } : {}),
  };
  const [docs, total] = await Promise.all([
    Staff.find(filter).sort({ createdAt: 1, _id: 1 }).skip(skipOf(query)).limit(query.pageSize).lean<StaffDoc[]>(),
    Staff.countDocuments(filter),
  ]);
  return paged(await toMembers(docs), total, query);
}

export async function findStaffDoc(id: string): Promise<StaffDoc> {
  const doc = isObjectIdString(id) ? await Staff.findById(id).lean<StaffDoc>() : null;
  if (!doc) throw staffNotFound();
  return doc;
}

export async function getStaffMember(id: string): Promise<StaffMember> {
  const [member] = await toMembers([await findStaffDoc(id)]);
  return member!;
}

const emptyToNull = (value: string) => (value === '' ? null : value);

/** The part of the password policy that needs the account name (the rest is in the schema). */
function checkPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw badRequest('VALIDATION_FAILED', '提交的内容不正确', { password: problem });
}

export async function createStaffMember(input: StaffCreate): Promise<StaffMember> {
  const username = input.username.toLowerCase();
  if (await Staff.exists({ username })) throw usernameTaken(username);
  checkPassword(input.password, username);
  try {
    const doc = await Staff.create({
      username,
      name: input.name,
      passwordHash: await hashPassword(input.password),
      role: input.role,
      department: emptyToNull(input.department),
      phone: emptyToNull(input.phone),
      regions: input.regions,
      productLines: input.productLines,
    });
    return getStaffMember(String(doc._id));
  } catch (error) {
    if (isDuplicateKey(error)) throw usernameTaken(username);
    throw error;
  }
}

/** Admin edits a staff member. An admin cannot lock themselves out: no self-deactivation or role change. */
export async function updateStaffMember(id: string, input: StaffUpdate, actorStaffId: string): Promise<StaffMember> {
  const existing = await findStaffDoc(id);
  const self = String(existing._id) === actorStaffId;
  if (self && !input.active) throw badRequest('CANNOT_DEACTIVATE_SELF', '不能停用自己的账号');
  if (self && input.role !== existing.role) throw badRequest('CANNOT_CHANGE_OWN_ROLE', '不能修改自己的角色');

  const set: Record<string, unknown> = {
    name: input.name,
    role: input.role,
    department: emptyToNull(input.department),
    phone: emptyToNull(input.phone),
    regions: input.regions,
    productLines: input.productLines,
    active: input.active,
  };
  if (input.password) {
    checkPassword(input.password, existing.username);
    set.passwordHash = await hashPassword(input.password);
  }
  await Staff.updateOne({ _id: existing._id }, { $set: set });
  // A new password, a deactivation or a reactivation ends every session, console and mini-program
  // alike: nothing issued before (nor while the account was off) carries over.
  const activeChanged = (existing.active ?? true) !== input.active;
  if (input.password || activeChanged) await endStaffSessions(id);
  if (input.password) await clearLoginFailures(existing.username);
  return getStaffMember(id);
}

/** Active engineers, for an engineer choosing whom to transfer to or work with (转派 / 多人协作). */
export async function listEngineerColleagues(): Promise<Colleague[]> {
  const docs = await Staff.find({ role: 'engineer', active: true }).sort({ name: 1, _id: 1 }).lean<StaffDoc[]>();
  return (await toMembers(docs)).map(({ id, name, phone, department, regions, productLines, openWorkOrders }) => ({
    id, name, phone, department, regions, productLines, openWorkOrders,
  }));
}
