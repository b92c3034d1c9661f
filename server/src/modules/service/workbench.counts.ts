// Read-only counts of the service desk for the workbench and the menu badges (modules/workbench).
// Every filter is flat: top-level equalities (status, department, assignee) and one range, which
// the indexes of feedback.model.ts / follow-up.model.ts / work-order.model.ts serve and our
// FerretDB counts in SQL. `scope` is the viewer's department condition.
import { Feedback } from './feedback.model.js';
import { FollowUp } from './follow-up.model.js';
import { WorkOrder } from './work-order.model.js';

/** The department condition of the viewer's scope (workbench/scope.ts): `{}`, `{department}` or a `$in`. */
export type ScopeCondition = Record<string, unknown>;

/** 待派工: requests waiting for a first dispatch (status submitted). */
export const waitingDispatchFilter = (scope: ScopeCondition) => ({ ...scope, status: 'submitted' as const });
export const countWaitingDispatch = (scope: ScopeCondition) => Feedback.countDocuments(waitingDispatchFilter(scope));

/**
 * 超期: open requests past their requested time (overdueAt is the requested time while open):
 * read from the index alone: {department, createdAt, overdueAt}, or {createdAt, overdueAt} for all.
 */
export const countOverdue = (scope: ScopeCondition, now: Date) => Feedback.countDocuments({ ...scope, overdueAt: { $lt: now } });

/** 待回访: follow-ups still open. */
export const openFollowUpsFilter = (scope: ScopeCondition) => ({ ...scope, status: 'open' as const });
export const countOpenFollowUps = (scope: ScopeCondition) => FollowUp.countDocuments(openFollowUpsFilter(scope));

/** Requests submitted since `since` (today's volume). */
export const countCreatedSince = (scope: ScopeCondition, since: Date) => Feedback.countDocuments({ ...scope, createdAt: { $gte: since } });

/** Requests completed since `since` (`completedAt` is set once, on completion): {department, completedAt}. */
export const countCompletedSince = (scope: ScopeCondition, since: Date) => Feedback.countDocuments({ ...scope, completedAt: { $gte: since } });

/** An engineer's own work orders: 待接单 (pending) and 处理中 (accepted or started). */
export async function countEngineerOrders(engineerId: string): Promise<{ pending: number; accepted: number }> {
  const [pending, accepted, inProgress] = await Promise.all([
    WorkOrder.countDocuments({ assigneeId: engineerId, status: 'pending' }),
    WorkOrder.countDocuments({ assigneeId: engineerId, status: 'accepted' }),
    WorkOrder.countDocuments({ assigneeId: engineerId, status: 'in_progress' }),
  ]);
  return { pending, accepted: accepted + inProgress };
}
