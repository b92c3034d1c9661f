// The dispatcher's actions: engineer suggestions, dispatch (or 改派 of an open order), 撤销派工,
// 直接完成. Each is one claimed state change (state-change.ts) of the request and its orders.
import {
  isOpenWorkOrder,
  nextFeedbackStatus,
  nextWorkOrderStatus,
  type EngineerSuggestion,
  type FeedbackDetail,
  type FeedbackStatus,
  type WorkOrderStatus,
} from '@qiao/shared';
import mongoose from 'mongoose';
import { findStaffProfile, listActiveEngineers } from '../identity/lookup.service.js';
import { buildFeedbackDetail } from './feedback.view.js';
import { noticeCustomerStatus, noticeEngineer } from './notices.js';
import { feedbackForDispatcher, type FeedbackContext } from './permissions.js';
import { scheduleDueReminders } from './reminders.js';
import { alreadyAssigned, allowed, engineerNotAvailable } from './service.errors.js';
import type { ServiceDeps, StaffViewer } from './service.context.js';
import { StateChange } from './state-change.js';
import { openWorkOrderCounts } from './work-order-load.service.js';

/** An active engineer, or 400 ENGINEER_NOT_AVAILABLE. */
export async function activeEngineer(id: string) {
  const engineer = await findStaffProfile(id);
  if (!engineer || !engineer.active || engineer.role !== 'engineer') throw engineerNotAvailable();
  return engineer;
}

/** Active engineers, those serving the request's region and product line first, then the least loaded. */
export async function suggestEngineers(viewer: StaffViewer, feedbackId: string): Promise<{ items: EngineerSuggestion[] }> {
  const { feedback } = await feedbackForDispatcher(viewer, feedbackId);
  const engineers = await listActiveEngineers();
  const load = await openWorkOrderCounts(engineers.map((engineer) => String(engineer._id)));
  const items = engineers.map((engineer) => ({
    id: String(engineer._id),
    name: engineer.name,
    phone: engineer.phone ?? '',
    regionMatch: Boolean(feedback.region) && engineer.regions.includes(feedback.region),
    productLineMatch: Boolean(feedback.productLine) && engineer.productLines.includes(feedback.productLine),
    openWorkOrders: load.get(String(engineer._id)) ?? 0,
  }));
  const matches = (s: EngineerSuggestion) => Number(s.regionMatch) + Number(s.productLineMatch);
  items.sort((a, b) => matches(b) - matches(a) || a.openWorkOrders - b.openWorkOrders || a.name.localeCompare(b.name, 'zh-CN'));
  return { items };
}

const openOrder = ({ order }: FeedbackContext) => (order && isOpenWorkOrder(order.status as WorkOrderStatus) ? order : null);

/** Dispatch to an engineer: a new pending order. An open order is cancelled (改派). */
export async function dispatchFeedback(
  viewer: StaffViewer,
  feedbackId: string,
  input: { engineerId: string; note: string },
  deps: ServiceDeps,
  now = new Date(),
): Promise<FeedbackDetail> {
  const context = await feedbackForDispatcher(viewer, feedbackId);
  const { feedback } = context;
  const engineer = await activeEngineer(input.engineerId);
  const previous = openOrder(context);
  if (previous?.assigneeId === input.engineerId) throw alreadyAssigned();

  const change = new StateChange(previous ? 'reassign' : 'dispatch', viewer.staffId);
  if (previous) {
    const cancelled = allowed(nextWorkOrderStatus(previous.status as WorkOrderStatus, 'cancel'));
    change.update('WorkOrder', previous, { status: cancelled, cancelReason: '已改派给其他工程师' });
  }
  const status = allowed(nextFeedbackStatus(feedback.status as FeedbackStatus, previous ? 'reassign' : 'dispatch'));
  const orderId = new mongoose.Types.ObjectId();
  change.insert('WorkOrder', {
    _id: orderId,
    feedbackId: String(feedback._id),
    department: feedback.department ?? '',
    requestNumber: feedback.number,
    requestedBy: feedback.requestedBy ?? null,
    assigneeId: input.engineerId,
    status: 'pending',
    version: 0,
    dispatchedAt: now,
    dispatchedBy: viewer.staffId,
    note: input.note,
  });
  change.update(
    'Feedback',
    feedback,
    { status, currentWorkOrderId: String(orderId), engineerId: input.engineerId },
    { events: [{ kind: 'dispatched', at: now, actorId: viewer.staffId, engineerId: input.engineerId, note: input.note, reassigned: Boolean(previous) }] },
  );
  await change.commit();

  await noticeEngineer(deps, feedback, { orderId: String(orderId), staffId: String(engineer._id) }, 'dispatched', now);
  await noticeCustomerStatus(deps, feedback, 'dispatched', input.engineerId, now);
  await scheduleDueReminders(deps, feedback, now);
  return buildFeedbackDetail(await feedbackForDispatcher(viewer, feedbackId), viewer, now);
}

/** 撤销派工: the open order is cancelled, the request waits for dispatch again. */
export async function undispatchFeedback(viewer: StaffViewer, feedbackId: string, reason: string, now = new Date()): Promise<FeedbackDetail> {
  const context = await feedbackForDispatcher(viewer, feedbackId);
  const order = openOrder(context);
  const change = new StateChange('undispatch', viewer.staffId);
  if (order) change.update('WorkOrder', order, { status: allowed(nextWorkOrderStatus(order.status as WorkOrderStatus, 'cancel')), cancelReason: reason });
  const status = allowed(nextFeedbackStatus(context.feedback.status as FeedbackStatus, 'undispatch'));
  change.update('Feedback', context.feedback, { status, engineerId: null }, { events: [{ kind: 'undispatched', at: now, actorId: viewer.staffId, note: reason }] });
  await change.commit();
  return buildFeedbackDetail(await feedbackForDispatcher(viewer, feedbackId), viewer, now);
}

/** 直接完成 (e.g. answered by phone): any open order is cancelled. */
export async function completeDirectly(
  viewer: StaffViewer,
  feedbackId: string,
  note: string,
  deps: ServiceDeps,
  now = new Date(),
): Promise<FeedbackDetail> {
  const context = await feedbackForDispatcher(viewer, feedbackId);
  const order = openOrder(context);
  const status = allowed(nextFeedbackStatus(context.feedback.status as FeedbackStatus, 'complete_directly'));
  const change = new StateChange('complete_directly', viewer.staffId);
  if (order) {
    change.update('WorkOrder', order, { status: allowed(nextWorkOrderStatus(order.status as WorkOrderStatus, 'cancel')), cancelReason: `直接完成：${note}` });
  }
  change.update(
    'Feedback',
    context.feedback,
    { status, completedAt: now, ...(order ? { engineerId: null } : {}) },
    { events: [{ kind: 'completed', at: now, actorId: viewer.staffId, note, direct: true }] },
  );
  await change.commit();
  await noticeCustomerStatus(deps, context.feedback, 'completed', null, now);
  return buildFeedbackDetail(await feedbackForDispatcher(viewer, feedbackId), viewer, now);
}
