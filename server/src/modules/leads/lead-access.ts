// Who may work a lead (convert, close, reopen) — the leads' one visibility rule (lead-visibility.ts):
// convert and close like an edit (owner, collaborator, manager in scope, admin); reopen like an
// assignment or by the owner (not a collaborator). A lead the viewer cannot see answers 404.
import type { Lead as LeadView } from '@qiao/shared';
import { forbidden, notFound } from '../../errors.js';
import { isObjectIdString } from '../../lib/db.js';
import { findStaffProfile } from '../identity/lookup.service.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { leadVisibility } from './lead-visibility.js';
import { Lead, type LeadDoc } from './lead.model.js';
import { toLeadViews } from './lead.views.js';

export const leadNotFound = () => notFound('LEAD_NOT_FOUND', '线索不存在');

/** The staff member's department ('' for none or unknown). */
export async function departmentOfStaff(staffId: string | null | undefined): Promise<string> {
  if (!staffId) return '';
  return (await findStaffProfile(staffId))?.department ?? '';
}

/** The lead if the viewer may work it: 404 when they cannot see it, 403 when they may only look. */
export async function leadToWork(viewer: StaffPrincipal, id: string, action: 'edit' | 'reopen' = 'edit'): Promise<LeadDoc> {
  const [lead, visibility] = await Promise.all([isObjectIdString(id) ? Lead.findById(id).lean<LeadDoc>() : null, leadVisibility(viewer)]);
  if (!lead || !visibility.canSee(lead)) throw leadNotFound();
  const allowed = action === 'edit' ? visibility.canEdit(lead) : visibility.canAssign(lead) || lead.ownerId === viewer.staffId;
  if (!allowed) throw forbidden(action === 'edit' ? 'FORBIDDEN' : 'LEAD_REOPEN_FORBIDDEN', action === 'edit' ? '无权处理该线索' : '只有线索负责人或经理可以重新打开线索');
  return lead;
}

/** The lead as the API shows it, after the caller was allowed to work it. */
export async function leadViewOf(id: string): Promise<LeadView> {
  const doc = await Lead.findById(id).lean<LeadDoc>();
  if (!doc) throw leadNotFound();
  return (await toLeadViews([doc]))[0]!;
}
