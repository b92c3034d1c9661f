// The department tree: list, create, rename, move, delete, and the one subtree computation every
// scope check uses. The whole tree is small (hundreds of nodes), so it is read in one query per
// call — never one query per record — and a change is seen by every server process at once.
import {
  buildDepartmentTree,
  descendantsAndSelf,
  type Department,
  type DepartmentCreate,
  type DepartmentNode,
  type DepartmentUpdate,
} from '@qiao/shared';
import { badRequest, conflict, notFound } from '../../errors.js';
import { isObjectIdString } from '../../lib/db.js';
import { countCustomersInDepartment } from '../customers/customer.service.js';
import { countStaffInDepartment } from '../identity/staff-admin.service.js';
import { DepartmentModel, type DepartmentDoc } from './department.model.js';

const departmentNotFound = () => notFound('DEPARTMENT_NOT_FOUND', '部门不存在或已被删除');
const nameTaken = (name: string) => conflict('DEPARTMENT_NAME_TAKEN', `同一上级部门下已有名为“${name}”的部门`);

const toDepartment = (doc: DepartmentDoc): Department => ({
  id: String(doc._id),
  name: doc.name,
  parentId: doc.parentId ?? null,
  order: doc.order ?? 0,
});

/** Every department, flat (one query). */
export async function loadDepartments(): Promise<Department[]> {
  const docs = await DepartmentModel.find({}, { name: 1, parentId: 1, order: 1 }).lean<DepartmentDoc[]>();
  return docs.map(toDepartment);
}

export async function departmentTree(): Promise<{ items: DepartmentNode[] }> {
  return { items: buildDepartmentTree(await loadDepartments()) };
}

/**
 * The department and all its descendants, as the ids records hold. A value that is not a
 * department (e.g. free text written before the tree existed) stands for itself alone.
 */
export async function subtreeIds(departmentId: string): Promise<string[]> {
  return descendantsAndSelf(await loadDepartments(), departmentId);
}

/** Whether `departmentId` is `ancestorId` or below it. Null on either side is never inside. */
export async function isInSubtree(ancestorId: string | null | undefined, departmentId: string | null | undefined): Promise<boolean> {
  if (!ancestorId || !departmentId) return false;
  return (await subtreeIds(ancestorId)).includes(departmentId);
}

/** Names for display, by id; ids that are not departments are left out. */
export async function departmentNames(): Promise<Map<string, string>> {
  return new Map((await loadDepartments()).map((d) => [d.id, d.name]));
}

/** For inputs that reference a department: '' passes, an unknown id is refused (400). */
export async function assertDepartmentExists(id: string): Promise<void> {
  if (id === '') return;
  if (!isObjectIdString(id) || !(await DepartmentModel.exists({ _id: id }))) {
    throw badRequest('DEPARTMENT_NOT_FOUND', '所选部门不存在，请刷新后重新选择');
  }
}

function siblingsOf(all: Department[], parentId: string | null, exceptId?: string): Department[] {
  return all.filter((d) => d.parentId === parentId && d.id !== exceptId);
}

function requireParent(all: Department[], parentId: string | null): void {
  if (parentId !== null && !all.some((d) => d.id === parentId)) {
    throw badRequest('DEPARTMENT_NOT_FOUND', '上级部门不存在，请刷新后重新选择');
  }
}

export async function createDepartment(input: DepartmentCreate): Promise<Department> {
  const all = await loadDepartments();
  requireParent(all, input.parentId);
  const siblings = siblingsOf(all, input.parentId);
  if (siblings.some((d) => d.name === input.name)) throw nameTaken(input.name);
  const order = input.order ?? siblings.reduce((max, d) => Math.max(max, d.order + 1), 0);
  const doc = await DepartmentModel.create({ name: input.name, parentId: input.parentId, order });
  return toDepartment(doc.toObject());
}

export async function updateDepartment(id: string, input: DepartmentUpdate): Promise<Department> {
  const all = await loadDepartments();
  const current = all.find((d) => d.id === id);
  if (!current) throw departmentNotFound();
  const next = {
    name: input.name ?? current.name,
    parentId: input.parentId === undefined ? current.parentId : input.parentId,
    order: input.order ?? current.order,
  };
  if (next.parentId !== current.parentId) {
    requireParent(all, next.parentId);
    // Under itself or one of its descendants the tree would become a cycle.
    if (next.parentId !== null && descendantsAndSelf(all, id).includes(next.parentId)) {
      throw conflict('DEPARTMENT_CYCLE', '不能把部门移动到它自己或它的下级部门之下');
    }
  }
  if (siblingsOf(all, next.parentId, id).some((d) => d.name === next.name)) throw nameTaken(next.name);
  await DepartmentModel.updateOne({ _id: id }, { $set: next });
  return { id, ...next };
}

/** Refused (409) while anything still belongs to it: sub-departments, staff or customers. */
export async function deleteDepartment(id: string): Promise<void> {
  const all = await loadDepartments();
  const current = all.find((d) => d.id === id);
  if (!current) throw departmentNotFound();
  const children = all.filter((d) => d.parentId === id).length;
  if (children > 0) throw conflict('DEPARTMENT_NOT_EMPTY', `“${current.name}”下还有 ${children} 个下级部门，请先删除或移走`);
  const [staff, customers] = await Promise.all([countStaffInDepartment(id), countCustomersInDepartment(id)]);
  if (staff > 0) throw conflict('DEPARTMENT_NOT_EMPTY', `“${current.name}”下还有 ${staff} 名职员，请先调到其他部门`);
  if (customers > 0) throw conflict('DEPARTMENT_NOT_EMPTY', `“${current.name}”下还有 ${customers} 个客户，请先调到其他部门`);
  await DepartmentModel.deleteOne({ _id: id });
}
