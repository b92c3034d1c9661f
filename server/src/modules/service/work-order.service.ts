// The engineer's side: their orders, and accept / reject / transfer / collaborators / complete.
// Each action is one claimed state change of the order and its request (state-change.ts).
import {
  canAddCollaborators,
  nextFeedbackStatus,
  nextWorkOrderStatus,
  workOrderTabs,
  type FeedbackDetail,
  type FeedbackStatus,
  type FeedbackType,
  type Paged,
  type WorkOrderStatus,
  type WorkOrderSummary,
} from '@qiao/shared';
import { contactsByIds, customerNames as customerNamesByIds } from '../customers/lookup.service.js';
import { activeEngineer } from './dispatch.service.js';
import { Feedback, type FeedbackDoc } from './feedback.model.js';
import { buildFeedbackDetail } from './feedback.view.js';
import { noticeCustomerStatus, noticeEngineer } from './notices.js';
import { loadFeedbackContext, orderForEngineer } from './permissions.js';
import { allowed, collaboratorIsAssignee, transferToSelf, visitRequired } from './service.errors.js';
import type { ServiceDeps, StaffViewer } from './service.context.js';
import { StateChange } from './state-change.js';
import { WorkOrder, type WorkOrderDoc } from './work-order.model.js';

const TAB_STATUSES: Record<(typeof workOrderTabs)[number], WorkOrderStatus[]> = {
  pending: ['pending'],
  active: ['accepted', 'in_progress'],
  done: ['completed'],
};

/** Orders assigned to the engineer or shared with them, by tab. */
export async function listWorkOrders(
  viewer: StaffViewer,
  query: { tab: (typeof workOrderTabs)[number]; page: number; pageSize: number },
): Promise<Paged<WorkOrderSummary>> {
  const me = viewer.staffId;
  const filter = { $or: [{ assigneeId: me }, { collaboratorIds: me }], status: { $in: TAB_STATUSES[query.tab] } };
  const sort: Record<string, 1 | -1> = query.tab === 'done' ? { completedAt: -1, _id: -1 } : { dispatchedAt: -1, _id: -1 };
  const [orders, total] = await Promise.all([
    WorkOrder.find(filter).sort(sort).skip((query.page - 1) * query.pageSize).limit(query.pageSize).lean<WorkOrderDoc[]>(),
    WorkOrder.countDocuments(filter),
  ]);
  const feedbacks = await Feedback.find({ _id: { $in: orders.map((o) => o.feedbackId) } }).lean<FeedbackDoc[]>();
  const byId = new Map(feedbacks.map((f) => [String(f._id), f]));
  const [customerNames, contacts] = await Promise.all([
    customerNamesByIds(feedbacks.map((f) => f.customerId)),
    contactsByIds(feedbacks.map((f) => f.contactId)),
  ]);
  const items = orders.flatMap((order): WorkOrderSummary[] => {
    const feedback = byId.get(order.feedbackId);
    if (!feedback) return [];
    return [
      {
        id: String(order._id),
        feedbackId: order.feedbackId,
        number: feedback.number,
        status: order.status as WorkOrderStatus,
        type: feedback.type as FeedbackType,
        description: feedback.description,
        customerName: customerNames.get(feedback.customerId) ?? '',
        contactName: contacts.get(feedback.contactId)?.name ?? '',
        contactPhone: feedback.contactPhone,
        address: feedback.address,
        requestedBy: feedback.requestedBy?.toISOString() ?? null,
        dispatchedAt: order.dispatchedAt.toISOString(),
        collaborating: order.assigneeId !== me,
      },
    ];
  });
  return { items, total, page: query.page, pageSize: query.pageSize };
}

const orderStatus = (order: WorkOrderDoc, action: Parameters<typeof nextWorkOrderStatus>[1]) =>
  allowed(nextWorkOrderStatus(order.status as WorkOrderStatus, action));
const feedbackStatus = (feedback: FeedbackDoc, action: Parameters<typeof nextFeedbackStatus>[1]) =>
  allowed(nextFeedbackStatus(feedback.status as FeedbackStatus, action));

/**
 * The request after the engineer's action. Built without the visibility check: after a reject or
 * a transfer the engineer no longer sees the request, but still gets the result of what they did.
 */
export async function detailAfter(viewer: StaffViewer, feedbackId: string, now: Date): Promise<FeedbackDetail> {
  const context = await loadFeedbackContext(feedbackId);
  if (!context) throw new Error(`request ${feedbackId} vanished`);
  return buildFeedbackDetail(context, viewer, now);
}

export async function acceptWorkOrder(viewer: StaffViewer, orderId: string, deps: ServiceDeps, now = new Date()): Promise<FeedbackDetail> {
  const { order, feedback } = await orderForEngineer(viewer, orderId, 'assignee');
  await new StateChange('accept', viewer.staffId)
    .update('WorkOrder', order, { status: orderStatus(order, 'accept'), acceptedAt: now })
    .update('Feedback', feedback, { status: feedbackStatus(feedback, 'accept') }, { events: [{ kind: 'accepted', at: now, actorId: viewer.staffId, engineerId: viewer.staffId }] })
    .commit();
  await noticeCustomerStatus(deps, feedback, 'accepted', viewer.staffId, now);
  return detailAfter(viewer, order.feedbackId, now);
}

/** 拒单: back to the dispatcher, with the reason shown to them. */
export async function rejectWorkOrder(viewer: StaffViewer, orderId: string, reason: string, now = new Date()): Promise<FeedbackDetail> {
  const { order, feedback } = await orderForEngineer(viewer, orderId, 'assignee');
  await new StateChange('reject', viewer.staffId)
    .update('WorkOrder', order, { status: orderStatus(order, 'reject'), rejectReason: reason })
    .update(
      'Feedback',
      feedback,
      { status: feedbackStatus(feedback, 'reject'), engineerId: null },
      { events: [{ kind: 'rejected', at: now, actorId: viewer.staffId, engineerId: viewer.staffId, note: reason }] },
    )
    .commit();
  return detailAfter(viewer, order.feedbackId, now);
}

/** 转派: the same order (with its visits) goes to a colleague, who has to accept it. */
export async function transferWorkOrder(
  viewer: StaffViewer,
  orderId: string,
  input: { engineerId: string; reason: string },
  deps: ServiceDeps,
  now = new Date(),
): Promise<FeedbackDetail> {
  const { order, feedback } = await orderForEngineer(viewer, orderId, 'assignee');
  if (input.engineerId === viewer.staffId) throw transferToSelf();
  await activeEngineer(input.engineerId);
  await new StateChange('transfer', viewer.staffId)
    .update(
      'WorkOrder',
      order,
      {
        status: orderStatus(order, 'transfer'),
        assigneeId: input.engineerId,
        acceptedAt: null,
        collaboratorIds: order.collaboratorIds.filter((id) => id !== input.engineerId),
      },
      { transfers: [{ fromId: viewer.staffId, toId: input.engineerId, reason: input.reason, at: now }] },
    )
    .update(
      'Feedback',
      feedback,
      { status: feedbackStatus(feedback, 'transfer'), engineerId: input.engineerId },
      { events: [{ kind: 'transferred', at: now, actorId: viewer.staffId, engineerId: input.engineerId, note: input.reason }] },
    )
    .commit();
  await noticeEngineer(deps, feedback, { orderId, staffId: input.engineerId }, 'transferred', now);
  await noticeCustomerStatus(deps, feedback, 'transferred', input.engineerId, now);
  return detailAfter(viewer, order.feedbackId, now);
}

/** 多人协作: colleagues who may see the order and record visits on it. */
export async function addCollaborators(viewer: StaffViewer, orderId: string, engineerIds: string[], now = new Date()): Promise<FeedbackDetail> {
  const { order } = await orderForEngineer(viewer, orderId, 'assignee');
  allowed(canAddCollaborators(order.status as WorkOrderStatus));
  const added = [...new Set(engineerIds)];
  if (added.includes(order.assigneeId)) throw collaboratorIsAssignee();
  for (const id of added) await activeEngineer(id);
  const collaboratorIds = [...new Set([...order.collaboratorIds, ...added])];
  await new StateChange('collaborators', viewer.staffId).update('WorkOrder', order, { collaboratorIds }).commit();
  return detailAfter(viewer, order.feedbackId, now);
}

/** 完工: needs at least one recorded visit. */
export async function completeWorkOrder(
  viewer: StaffViewer,
  orderId: string,
  summary: string,
  deps: ServiceDeps,
  now = new Date(),
): Promise<FeedbackDetail> {
  const { order, feedback } = await orderForEngineer(viewer, orderId, 'assignee');
  if (order.visitCount < 1 && ['accepted', 'in_progress'].includes(order.status)) throw visitRequired();
  await new StateChange('complete', viewer.staffId)
    .update('WorkOrder', order, { status: orderStatus(order, 'complete'), completedAt: now, summary })
    .update(
      'Feedback',
      feedback,
      { status: feedbackStatus(feedback, 'complete'), completedAt: now },
      { events: [{ kind: 'completed', at: now, actorId: viewer.staffId, engineerId: viewer.staffId, note: summary }] },
    )
    .commit();
  await noticeCustomerStatus(deps, feedback, 'completed', viewer.staffId, now);
  return detailAfter(viewer, order.feedbackId, now);
}
