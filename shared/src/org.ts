// Departments (部门): a tree managed in the console. Staff and customers point at a department by
// id; managers, dispatchers and sales see the records of their department's subtree.
import { z } from 'zod';
import { objectIdSchema, requiredText } from './common.js';

const departmentName = requiredText(50, '部门名称');
const departmentOrder = z.number().int('排序必须是整数').min(0, '排序不能小于 0').max(1_000_000, '排序过大');

export const departmentCreateSchema = z
  .object({
    name: departmentName,
    /** null: a top-level department. */
    parentId: objectIdSchema.nullable().default(null),
    /** Position among its siblings (smaller first); appended at the end when left out. */
    order: departmentOrder.optional(),
  })
  .strict();
export type DepartmentCreate = z.infer<typeof departmentCreateSchema>;

/** Rename, move (a new parent; null = top level) or reorder: only the given fields change. */
export const departmentUpdateSchema = z
  .object({ name: departmentName.optional(), parentId: objectIdSchema.nullable().optional(), order: departmentOrder.optional() })
  .strict();
export type DepartmentUpdate = z.infer<typeof departmentUpdateSchema>;

export const departmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  order: z.number().int(),
});
export type Department = z.infer<typeof departmentSchema>;

export type DepartmentNode = Department & { children: DepartmentNode[] };
export const departmentNodeSchema: z.ZodType<DepartmentNode> = departmentSchema.extend({
  get children() {
    return z.array(departmentNodeSchema);
  },
});
export const departmentTreeSchema = z.object({ items: z.array(departmentNodeSchema) });
export type DepartmentTree = z.infer<typeof departmentTreeSchema>;

/** The department field of staff and customers: a department's id, or '' for none. */
export const departmentRefSchema = z.union([objectIdSchema, z.literal('')], { message: '请选择部门' }).default('');

type Edge = { id: string; parentId: string | null };

/**
 * A department and all its descendants. An id that is not in the list stands for itself alone
 * (records still holding a value that is not a department match only that value).
 */
export function descendantsAndSelf(departments: readonly Edge[], rootId: string): string[] {
  const children = new Map<string, string[]>();
  for (const { id, parentId } of departments) {
    if (parentId === null) continue;
    const list = children.get(parentId) ?? [];
    list.push(id);
    children.set(parentId, list);
  }
  const seen = new Set<string>([rootId]);
  const queue = [rootId];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      // Guards against a cycle in stored data: each id is visited once.
      if (!seen.has(child)) {
        seen.add(child);
        queue.push(child);
      }
    }
  }
  return [...seen];
}

/** Nests a flat list into a tree, siblings by order then name. */
export function buildDepartmentTree(departments: readonly Department[]): DepartmentNode[] {
  const nodes = new Map(departments.map((d) => [d.id, { ...d, children: [] as DepartmentNode[] }]));
  const roots: DepartmentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: DepartmentNode[]) => {
    list.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name, 'zh-CN'));
    list.forEach((node) => sort(node.children));
  };
  sort(roots);
  return roots;
}
