// Staff management for the console: list with open work-order counts, create, update.
import { passwordProblem, type Colleague, type Paged, type StaffCreate, type StaffListQuery, type StaffMember, type StaffRole, type StaffUpdate } from '@qiao/shared';
import { badRequest, conflict, notFound } from '../../errors.js';
import { isDuplicateKey, isObjectIdString } from '../../lib/db.js';
import { cappedCount, paged, searchFilter, skipOf } from '../../lib/query.js';
import { assertDepartmentExists, loadDepartments } from '../org/department.service.js';
import { departmentFilter, inDepartmentScope, type ScopeViewer } from '../org/scope.js';
import { openWorkOrderCounts } from '../service/work-order-load.service.js';
import { hashPassword } from './password.js';
import { clearLoginFailures } from './login-guard.js';
import { endStaffSessions } from './session.service.js';
import { Staff, type StaffDoc } from './staff.model.js';

const staffNotFound = () => notFound('STAFF_NOT_FOUND', '职员不存在');
const usernameTaken = (username: string) => conflict('USERNAME_TAKEN', `账号 ${username} 已被使用，请换一个`);

export function toStaffMember(staff: StaffDoc, openWorkOrders: number, departmentName = ''): StaffMember {
  return {
    id: String(staff._id),
    username: staff.username,
    name: staff.name,
    role: staff.role as StaffRole,
    department: staff.department ?? '',
    departmentName,
    phone: staff.phone ?? '',
    regions: [...(staff.regions ?? [])],
    productLines: [...(staff.productLines ?? [])],
    active: staff.active ?? true,
    wechatBound: Boolean(staff.wechatUserId),
    openWorkOrders,
  };
}

async function toMembers(docs: StaffDoc[]): Promise<StaffMember[]> {
  // 在办工单 as the service module counts it (the same load that ranks dispatch suggestions).
  const [counts, departments] = await Promise.all([openWorkOrderCounts(docs.map((doc) => String(doc._id))), loadDepartments()]);
  const names = new Map(departments.map((d) => [d.id, d.name]));
  return docs.map((doc) => toStaffMember(doc, counts.get(String(doc._id)) ?? 0, names.get(doc.department ?? '') ?? doc.department ?? ''));
}

/** Search by name, account, phone, or the name of the department. */
async function staffSearch(q: string | undefined): Promise<Record<string, unknown>> {
  const search = searchFilter(q, ['name', 'username', 'phone']) as { $or?: unknown[] };
  const text = q?.trim().toLowerCase();
  if (!search.$or || !text) return search;
  const matching = (await loadDepartments()).filter((d) => d.name.toLowerCase().includes(text)).map((d) => d.id);
  return matching.length ? { $or: [...search.$or, { department: { $in: matching } }] } : search;
}

/** Dispatchers and managers list the staff of their department's subtree; admin everyone. */
export async function listStaff(viewer: ScopeViewer, query: StaffListQuery): Promise<Paged<StaffMember> & { totalCapped: boolean }> {
  const filter = {
    ...(await staffSearch(query.q)),
    ...(query.role ? { role: query.role } : {}),
    ...(await departmentFilter(viewer)),
  };
  const [docs, count] = await Promise.all([
    Staff.find(filter).sort({ createdAt: 1, _id: 1 }).skip(skipOf(query)).limit(query.pageSize).lean<StaffDoc[]>(),
    // A text search scans: counted only up to a cap.
    cappedCount((options) => Staff.countDocuments(filter, options), Boolean(query.q?.trim())),
  ]);
  return { ...paged(await toMembers(docs), count.total, query), totalCapped: count.totalCapped };
}

export async function findStaffDoc(id: string): Promise<StaffDoc> {
  const doc = isObjectIdString(id) ? await Staff.findById(id).lean<StaffDoc>() : null;
  if (!doc) throw staffNotFound();
  return doc;
}

/** A staff member the viewer's scope includes, else 404 (as if there were none). */
export async function findStaffInScope(viewer: ScopeViewer, id: string): Promise<StaffDoc> {
  const doc = await findStaffDoc(id);
  if (!(await inDepartmentScope(viewer, doc.department))) throw staffNotFound();
  return doc;
}

export async function countStaffInDepartment(departmentId: string): Promise<number> {
  return Staff.countDocuments({ department: departmentId });
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
  await assertDepartmentExists(input.department);
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
  if (input.department !== (existing.department ?? '')) await assertDepartmentExists(input.department);
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
