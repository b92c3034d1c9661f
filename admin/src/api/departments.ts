// Departments (部门): the tree every staff member may read; only the administrator changes it.
import { departmentSchema, departmentTreeSchema, type Department, type DepartmentCreate, type DepartmentNode, type DepartmentUpdate } from '@qiao/shared';
import { apiRequest } from './client';

export async function getDepartmentTree(signal?: AbortSignal): Promise<DepartmentNode[]> {
  return (await apiRequest('/departments', { schema: departmentTreeSchema, signal })).items;
}

export function createDepartment(body: DepartmentCreate): Promise<Department> {
  return apiRequest('/departments', { method: 'POST', body, schema: departmentSchema });
}

/** Rename, move (parentId; null = top level) or reorder. */
export function updateDepartment(id: string, body: DepartmentUpdate): Promise<Department> {
  return apiRequest(`/departments/${encodeURIComponent(id)}`, { method: 'PUT', body, schema: departmentSchema });
}

/** Refused (409, with the reason in Chinese) while it has sub-departments, staff or customers. */
export function deleteDepartment(id: string): Promise<void> {
  return apiRequest(`/departments/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
