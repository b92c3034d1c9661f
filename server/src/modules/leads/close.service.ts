// 关闭线索 with a reason from the fixed list (a note for 其他), and reopening a closed lead. The
// reason, note and time stay on the lead until it is reopened.
import type { Lead as LeadView, LeadClose } from '@qiao/shared';
import { conflict } from '../../errors.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { latestAttempt } from '../../lib/once.js';
import { assertOpen, conversionKey } from './convert.service.js';
import { syncLeadFollowDue } from './follow-record.dues.js';
import { leadToWork, leadViewOf } from './lead-access.js';
import { Lead } from './lead.model.js';

export async function closeLead(viewer: StaffPrincipal, id: string, input: LeadClose, now = new Date()): Promise<LeadView> {
  const lead = await leadToWork(viewer, id);
  assertOpen(lead);
  // A conversion under way (or cut short, to be resumed) is not overtaken by a close.
  const converting = await latestAttempt(conversionKey(id));
  if (converting && !converting.releasedAt) throw conflict('LEAD_CONVERTING', '该线索正在转化中，不能关闭');
  await Lead.updateOne({ _id: lead._id }, { $set: { status: 'closed', closeReason: input.reason, closeNote: input.note, closedAt: now } });
  await syncLeadFollowDue(id);
  return leadViewOf(id);
}

/** Back to 已分配 (or 新线索 without an owner): by a manager, an admin or the owner — not a collaborator. */
export async function reopenLead(viewer: StaffPrincipal, id: string): Promise<LeadView> {
  const lead = await leadToWork(viewer, id, 'reopen');
  if (lead.status !== 'closed') throw conflict('LEAD_NOT_CLOSED', '只有已关闭的线索可以重新打开');
  await Lead.updateOne(
    { _id: lead._id },
    { $set: { status: lead.ownerId ? 'assigned' : 'new', closeReason: null, closeNote: '', closedAt: null } },
  );
  await syncLeadFollowDue(id);
  return leadViewOf(id);
}
