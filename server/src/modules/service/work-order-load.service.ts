// An engineer's load: the work orders assigned to them that are not finished yet (待接单, 已接单,
// 处理中). Collaborations do not count: an order is on its assignee's plate. The one definition
// behind 在办工单 on the console's staff list, the engineer pickers and the dispatch suggestions.
import { openWorkOrderStatuses } from '@qiao/shared';
import { WorkOrder } from './work-order.model.js';

/**
 * Open orders of each of `staffIds` (each present in the map, 0 when idle): one indexed count per
 * person (`{assigneeId, status}`), so a page of 20 costs 20 index counts and never reads the orders.
 */
export async function openWorkOrderCounts(staffIds: Iterable<string>): Promise<Map<string, number>> {
  const ids = [...new Set([...staffIds].map(String))];
  const counts = await Promise.all(
    ids.map((assigneeId) => WorkOrder.countDocuments({ assigneeId, status: { $in: [...openWorkOrderStatuses] } })),
  );
  return new Map(ids.map((id, i) => [id, counts[i]!]));
}
