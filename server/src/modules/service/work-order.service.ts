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
import mongoose from 'mongoose';
import { badRequest } from '../../errors.js';
import { isDuplicateKey } from '../../lib/db.js';
import { afterCursor, cursorAfter, decodeCursor, flatFilter } from '../../lib/query.js';
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
import { collaborationId, WorkOrderCollaboration } from './work-order-collaboration.model.js';

const TAB_STATUSES: Record<(typeof workOrderTabs)[number], WorkOrderStatus[]> = {
  pending: ['pending'],
  active: ['accepted', 'in_progress'],
  done: ['completed'],
};

/**
 * Orders assigned to the engineer or shared with them, by tab, newest first; key-paged by the
 * tab's time. "Assigned or shared" is an `$or` over an array, which no index serves: it is the
 * assignee's orders (indexed by `{assigneeId, status, time}`) merged with the orders of their
 * collaborations (by `_id`), each read up to the end of the page, counted apart (they are disjoint).
 */
export async function listWorkOrders(
  viewer: StaffViewer,
  query: { tab: (typeof workOrderTabs)[number]; page: number; pageSize: number; cursor?: string | undefined },
): Promise<Paged<WorkOrderSummary> & { nextCursor: string | null }> {
  const me = viewer.staffId;
  const status = { $in: TAB_STATUSES[query.tab] };
  const field = query.tab === 'done' ? 'completedAt' : 'dispatchedAt';
  const cursor = query.cursor ? decodeCursor(query.cursor) : null;
  if (query.cursor && !(cursor?.value instanceof Date)) throw badRequest('CURSOR_INVALID', '翻页位置无效，请回到第一页');
  const after = cursor ? afterCursor(field, -1, cursor) : null;
  const skip = after ? after.skip : (query.page - 1) * query.pageSize;
  const assigned = { assigneeId: me, status };
  // One indexed, ordered read per status (an `$in` of two would sort all of them).
  const assignedByStatus = TAB_STATUSES[query.tab].map((one) => ({ assigneeId: me, status: one }));
  const collaborations = await WorkOrderCollaboration.find({ staffId: me }, { orderId: 1 }).lean<Array<{ orderId: string }>>();
  // `_id $in` is served by the index; the array and `$ne` conditions only re-check those orders.
  const shared = collaborations.length
    ? { _id: { $in: collaborations.map((c) => new mongoose.Types.ObjectId(c.orderId)) }, status, collaboratorIds: me, assigneeId: { $ne: me } }
    : null;
  const read = (filter: Record<string, unknown>) =>
    WorkOrder.find(after ? flatFilter(filter, after.condition) : filter)
      .sort({ [field]: -1, _id: -1 })
      .limit(skip + query.pageSize)
      .lean<WorkOrderDoc[]>();
  const [mine, theirs, total] = await Promise.all([
    Promise.all(assignedByStatus.map(read)).then((pages) => pages.flat()),
    shared ? read(shared) : Promise.resolve([]),
    Promise.all([WorkOrder.countDocuments(assigned), shared ? WorkOrder.countDocuments(shared) : 0]).then(([a, b]) => a + b),
  ]);
  const keyOf = (order: WorkOrderDoc): Date => order[field] ?? order.dispatchedAt;
  const orders = [...mine, ...theirs]
    .sort((a, b) => keyOf(b).getTime() - keyOf(a).getTime() || (String(b._id) < String(a._id) ? -1 : String(b._id) > String(a._id) ? 1 : 0))
    .slice(skip, skip + query.pageSize);
  const nextCursor = cursorAfter(orders, query.pageSize, keyOf, cursor);
  // An empty `$in` is not pushed down (it would read every request): no orders, no query.
  const feedbacks = orders.length ? await Feedback.find({ _id: { $in: orders.map((o) => o.feedbackId) } }).lean<FeedbackDoc[]>() : [];
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
  return { items, total, page: query.page, pageSize: query.pageSize, nextCursor };
}

/** One document per (order, engineer): a unique insert, so adding twice (or at once) is one document. */
export async function recordCollaborations(orderId: string, staffIds: string[], now: Date): Promise<void> {
  await Promise.all(
    staffIds.map(async (staffId) => {
      try {
        await WorkOrderCollaboration.create({ _id: collaborationId(orderId, staffId), orderId, staffId, at: now });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }),
  );
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
  // Before the change: the index of collaborations is a superset of what orders hold.
  await recordCollaborations(String(order._id), added, now);
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
