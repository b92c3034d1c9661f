// 回访: low ratings waiting for a dispatcher's call, in their department's subtree (admin: all).
import type { FollowUp as FollowUpView, Paged } from '@qiao/shared';
import { contactsByIds, customerNames as customerNamesByIds } from '../customers/lookup.service.js';
import { Feedback, type FeedbackDoc } from './feedback.model.js';
import { peopleById } from './feedback.view.js';
import { FollowUp, type FollowUpDoc } from './follow-up.model.js';
import { departmentScope, inDepartment } from './permissions.js';
import { followUpClosed, followUpNotFound } from './service.errors.js';
import type { StaffViewer } from './service.context.js';
import { StateChange } from './state-change.js';
import { isObjectIdString } from '../../lib/db.js';

async function toViews(followUps: FollowUpDoc[]): Promise<FollowUpView[]> {
  const feedbacks = await Feedback.find({ _id: { $in: followUps.map((f) => f.feedbackId) } }).lean<FeedbackDoc[]>();
  const byId = new Map(feedbacks.map((f) => [String(f._id), f]));
  const [customerNames, contactsById, people] = await Promise.all([
    customerNamesByIds(feedbacks.map((f) => f.customerId)),
    contactsByIds(feedbacks.map((f) => f.contactId)),
    peopleById([...feedbacks.map((f) => f.engineerId), ...followUps.map((f) => f.closedBy)]),
  ]);
  return followUps.flatMap((followUp): FollowUpView[] => {
    const feedback = byId.get(followUp.feedbackId);
    if (!feedback?.rating) return [];
    const contact = contactsById.get(feedback.contactId);
    return [
      {
        id: String(followUp._id),
        feedbackId: followUp.feedbackId,
        feedbackNumber: feedback.number,
        customerName: customerNames.get(feedback.customerId) ?? '',
        contactName: contact?.name ?? '',
        contactPhone: feedback.contactPhone || contact?.phone || '',
        engineerName: feedback.engineerId ? people.get(feedback.engineerId)?.name ?? null : null,
        rating: {
          timeliness: feedback.rating.timeliness,
          attitude: feedback.rating.attitude,
          quality: feedback.rating.quality,
          comment: feedback.rating.comment,
          ratedAt: feedback.rating.ratedAt.toISOString(),
        },
        status: followUp.status as FollowUpView['status'],
        note: followUp.note,
        createdAt: followUp.createdAt.toISOString(),
        closedAt: followUp.closedAt?.toISOString() ?? null,
        closedBy: followUp.closedBy ? people.get(followUp.closedBy)?.name ?? null : null,
      },
    ];
  });
}

export async function listFollowUps(
  viewer: StaffViewer,
  query: { status?: 'open' | 'closed'; page: number; pageSize: number },
): Promise<Paged<FollowUpView>> {
  const filter = { ...(await departmentScope(viewer)), ...(query.status ? { status: query.status } : {}) };
  const [docs, total] = await Promise.all([
    FollowUp.find(filter).sort({ createdAt: -1, _id: -1 }).skip((query.page - 1) * query.pageSize).limit(query.pageSize).lean<FollowUpDoc[]>(),
    FollowUp.countDocuments(filter),
  ]);
  return { items: await toViews(docs), total, page: query.page, pageSize: query.pageSize };
}

export async function closeFollowUp(viewer: StaffViewer, id: string, note: string, now = new Date()): Promise<FollowUpView> {
  const followUp = isObjectIdString(id) ? await FollowUp.findById(id).lean<FollowUpDoc>() : null;
  if (!followUp || !(await inDepartment(viewer, followUp.department))) throw followUpNotFound();
  if (followUp.status === 'closed') throw followUpClosed();
  await new StateChange('close_follow_up', viewer.staffId)
    .update('FollowUp', followUp, { status: 'closed', note, closedAt: now, closedBy: viewer.staffId })
    .commit();
  const [view] = await toViews([(await FollowUp.findById(id).lean<FollowUpDoc>())!]);
  return view!;
}
