// 多次处理: the assignee or a collaborator records a visit — check-in time and place, notes for
// colleagues and for the customer, photos, parts used and charges (fen).
import { nextFeedbackStatus, nextWorkOrderStatus, type FeedbackDetail, type FeedbackStatus, type VisitInput, type WorkOrderStatus } from '@qiao/shared';
import mongoose from 'mongoose';
import { claimUploads } from '../files/upload.service.js';
import { orderForEngineer } from './permissions.js';
import { allowed, checkInInFuture } from './service.errors.js';
import type { StaffViewer } from './service.context.js';
import { StateChange } from './state-change.js';
import { detailAfter } from './work-order.service.js';

/** A clock a few minutes ahead of ours is the phone's, not a visit in the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

export async function recordVisit(viewer: StaffViewer, orderId: string, input: VisitInput, now = new Date()): Promise<FeedbackDetail> {
  const { order, feedback } = await orderForEngineer(viewer, orderId, 'member');
  const checkInAt = new Date(input.checkInAt);
  if (checkInAt.getTime() > now.getTime() + CLOCK_SKEW_MS) throw checkInInFuture();
  const orderStatus = allowed(nextWorkOrderStatus(order.status as WorkOrderStatus, 'record_visit'));
  const feedbackStatus = allowed(nextFeedbackStatus(feedback.status as FeedbackStatus, 'record_visit'));

  const visitId = new mongoose.Types.ObjectId();
  const photoIds = [...new Set(input.photoIds)];
  await claimUploads(photoIds, { kind: 'staff', id: viewer.staffId }, { kind: 'visit', id: String(visitId) });
  await new StateChange('record_visit', viewer.staffId)
    .insert('Visit', {
      _id: visitId,
      workOrderId: String(order._id),
      feedbackId: order.feedbackId,
      engineerId: viewer.staffId,
      checkInAt,
      location: input.location,
      internalNote: input.internalNote,
      customerNote: input.customerNote,
      photoIds,
      parts: input.parts,
      charges: input.charges,
    })
    .update('WorkOrder', order, { status: orderStatus, visitCount: order.visitCount + 1 })
    .update('Feedback', feedback, { status: feedbackStatus }, { events: [{ kind: 'visit', at: now, actorId: viewer.staffId, engineerId: viewer.staffId, visitId: String(visitId) }] })
    .commit();
  return detailAfter(viewer, order.feedbackId, now);
}
