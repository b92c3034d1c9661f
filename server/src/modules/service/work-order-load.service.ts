// An engineer's load: the work orders assigned to them that are not finished yet (待接单, 已接单,
// 处理中). Collaborations do not count: an order is on its assignee's plate. The one definition
// behind 在办工单 on the console's staff list, the engineer pickers and the dispatch suggestions.
import { openWorkOrderStatuses } from '@qiao/shared';
import { WorkOrder } from './work-order.model.js';

/**
 * Open orders per assignee, in one query. With `staffIds`, only those staff members (each of
 * them present in the map, 0 when idle); without, everyone who has any.
 */
export async function openWorkOrderCounts(staffIds?: Iterable<string>): Promise<Map<string, number>> {
  const ids = staffIds === undefined ? undefined : [...new Set([...staffIds].map(String))];
  const counts = new Map<string, number>((ids ?? []).map((id) => [id, 0]));
  if (ids?.length === 0) return counts;
  const filter = { status: { $in: [...openWorkOrderStatuses] }, ...(ids ? { assigneeId: { $in: ids } } : {}) };
  const open = await WorkOrder.find(filter, { assigneeId: 1 }).lean<Array<{ assigneeId: string }>>();
  for (const order of open) counts.set(order.assigneeId, (counts.get(order.assigneeId) ?? 0) + 1);
  return counts;
}
