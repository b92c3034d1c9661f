// The department condition of the workbench's counts, from the one scope rule (org/scope.ts).
import { departmentScopeIds, type ScopeViewer } from '../org/scope.js';

/**
 * `{}` for admin, `{department}` for one department, else a `$in` of the subtree. Unlike
 * org/scope.ts `filterFor`, "no department" is '' alone: the counted records store '' (never
 * null), and a `$in` holding null is not pushed down to SQL by our FerretDB.
 */
export async function scopeCondition(viewer: ScopeViewer): Promise<Record<string, unknown>> {
  const ids = await departmentScopeIds(viewer);
  if (ids === null) return {};
  if (ids.length === 1) return { department: ids[0] };
  return { department: { $in: ids } };
}
