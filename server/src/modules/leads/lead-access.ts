// Who may work a lead (convert, close, reopen): its owner, a collaborator, a manager whose
// department subtree holds it, an admin. Anyone else is answered 404, as if it did not exist.
import { notFound } from '../../errors.js';
import { isObjectIdString } from '../../lib/db.js';
import { findStaffProfile } from '../identity/lookup.service.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { inDepartmentScope } from '../org/scope.js';
import { Lead, type LeadDoc } from './lead.model.js';

export const leadNotFound = () => notFound('LEAD_NOT_FOUND', '线索不存在');

/** The staff member's department ('' for none or unknown). */
export async function departmentOfStaff(staffId: string | null | undefined): Promise<string> {
  if (!staffId) return '';
  return (await findStaffProfile(staffId))?.department ?? '';
}

/** How the viewer stands to the lead: null when they may not see it. */
export async function leadRelation(viewer: StaffPrincipal, lead: Pick<LeadDoc, 'ownerId' | 'collaboratorIds' | 'department'>): Promise<'admin' | 'manager' | 'owner' | 'collaborator' | null> {
  if (viewer.role === 'admin') return 'admin';
  if (viewer.role === 'manager') {
    // A lead without a department yet (made before assignments set it) counts in its owner's.
    const department = lead.department || (await departmentOfStaff(lead.ownerId));
    return (await inDepartmentScope(viewer, department)) ? 'manager' : null;
  }
  if (viewer.role === 'sales') {
    if (lead.ownerId === viewer.staffId) return 'owner';
    if ((lead.collaboratorIds ?? []).includes(viewer.staffId)) return 'collaborator';
  }
  return null;
}

/** The lead if the viewer may work it, else 404. */
export async function leadToWork(viewer: StaffPrincipal, id: string): Promise<{ lead: LeadDoc; relation: NonNullable<Awaited<ReturnType<typeof leadRelation>>> }> {
  const lead = isObjectIdString(id) ? await Lead.findById(id).lean<LeadDoc>() : null;
  if (!lead) throw leadNotFound();
  const relation = await leadRelation(viewer, lead);
  if (!relation) throw leadNotFound();
  return { lead, relation };
}
