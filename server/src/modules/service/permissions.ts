// Who may see and act on what. Records a caller may not see answer 404, like records that do not
// exist, so ids do not leak.
import { isOpenWorkOrder, type WorkOrderStatus } from '@qiao/shared';
import mongoose from 'mongoose';
import { Feedback, type FeedbackDoc } from './feedback.model.js';
import { assigneeOnly, feedbackNotFound, workOrderNotFound } from './service.errors.js';
import type { StaffViewer, Viewer } from './service.context.js';
import { settleAbandoned } from './state-change.js';
import { WorkOrder, type WorkOrderDoc } from './work-order.model.js';
import { isObjectIdString } from '../../lib/db.js';
import { customerOwnership } from '../identity/lookup.service.js';
import { departmentFilter, inDepartmentScope } from '../org/scope.js';

const DISPATCH_ROLES = ['dispatcher', 'manager', 'admin'] as const;

export const isDispatcher = (viewer: Viewer): boolean =>
  viewer.kind === 'staff' && (DISPATCH_ROLES as readonly string[]).includes(viewer.role);

/**
 * Dispatchers and managers see the requests of their department's subtree (a request holds its
 * customer's department); admin all. The rule itself is org/scope.ts, shared by every module.
 */
export const departmentScope = (viewer: StaffViewer): Promise<Record<string, unknown>> => departmentFilter(viewer);

export const inDepartment = (viewer: StaffViewer, department: string | null | undefined): Promise<boolean> =>
  inDepartmentScope(viewer, department);

/** The engineer's part in an order that is still theirs to see: assignee, collaborator or none. */
export function engineerRole(order: Pick<WorkOrderDoc, 'assigneeId' | 'collaboratorIds' | 'status'>, staffId: string) {
  if (!isOpenWorkOrder(order.status as WorkOrderStatus) && order.status !== 'completed') return null;
  if (order.assigneeId === staffId) return 'assignee';
  return order.collaboratorIds.includes(staffId) ? 'collaborator' : null;
}


export interface FeedbackContext {
  feedback: FeedbackDoc;
  /** The latest work order (open, completed, rejected or cancelled), or null before the first dispatch. */
  order: WorkOrderDoc | null;
}

export async function loadFeedbackContext(id: string): Promise<FeedbackContext | null> {
  if (!isObjectIdString(id)) return null;
  const feedback = await Feedback.findById(id).lean<FeedbackDoc>();
  if (!feedback) return null;
  const order = feedback.currentWorkOrderId ? await WorkOrder.findById(feedback.currentWorkOrderId).lean<WorkOrderDoc>() : null;
  // A change left half-done by a crash is finished by the next one who looks.
  if (await settleAbandoned([['Feedback', feedback], ['WorkOrder', order]])) return loadFeedbackContext(id);
  return { feedback, order };
}

export async function canSeeFeedback(viewer: Viewer, { feedback, order }: FeedbackContext): Promise<boolean> {
  if (viewer.kind === 'customer') {
    // The verified contact owns requests: every WeChat identity of that person sees them.
    const own = await customerOwnership(viewer.wechatUserId);
    return own.wechatUserIds.includes(feedback.wechatUserId) || (own.contactId !== null && feedback.contactId === own.contactId);
  }
  if (isDispatcher(viewer)) return inDepartment(viewer, feedback.department);
  if (viewer.role === 'engineer') return order !== null && engineerRole(order, viewer.staffId) !== null;
  return false;
}

/** The request as the caller may see it, else 404. */
export async function feedbackFor(viewer: Viewer, id: string): Promise<FeedbackContext> {
  const context = await loadFeedbackContext(id);
  if (!context || !(await canSeeFeedback(viewer, context))) throw feedbackNotFound();
  return context;
}

/** For dispatcher actions: the request must be in their department's subtree. */
export async function feedbackForDispatcher(viewer: StaffViewer, id: string): Promise<FeedbackContext> {
  const context = await loadFeedbackContext(id);
  if (!context || !isDispatcher(viewer) || !(await inDepartment(viewer, context.feedback.department))) throw feedbackNotFound();
  return context;
}

export interface OrderContext {
  order: WorkOrderDoc;
  feedback: FeedbackDoc;
}

/**
 * A work order for an engineer's action: 404 unless it is assigned to them or shared with them;
 * 403 when only the assignee may act and they are a collaborator. An order transferred away
 * answers 404; one they rejected or that was cancelled is refused by the state machine (409).
 */
export async function orderForEngineer(viewer: StaffViewer, id: string, who: 'assignee' | 'member'): Promise<OrderContext> {
  const order = isObjectIdString(id) ? await WorkOrder.findById(id).lean<WorkOrderDoc>() : null;
  const isMember = order && (order.assigneeId === viewer.staffId || order.collaboratorIds.includes(viewer.staffId));
  if (!order || !isMember) throw workOrderNotFound();
  if (who === 'assignee' && order.assigneeId !== viewer.staffId) throw assigneeOnly();
  const feedback = await Feedback.findById(order.feedbackId).lean<FeedbackDoc>();
  if (!feedback) throw workOrderNotFound();
  if (await settleAbandoned([['WorkOrder', order], ['Feedback', feedback]])) return orderForEngineer(viewer, id, who);
  return { order, feedback };
}
