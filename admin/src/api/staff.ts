// Staff (职员): accounts, roles, engineers' service areas and WeChat invite codes.
import {
  inviteCodeSchema,
  keyPageFields,
  pagedSchema,
  staffMemberSchema,
  type InviteCode,
  type Paged,
  type StaffCreate,
  type StaffMember,
  type StaffRole,
  type StaffUpdate,
} from '@qiao/shared';
import { apiRequest, withQuery } from './client';

const staffPageSchema = pagedSchema(staffMemberSchema).extend(keyPageFields);

export function listStaff(
  params: { page?: number; pageSize?: number; q?: string; role?: StaffRole },
  signal?: AbortSignal,
): Promise<Paged<StaffMember>> {
  return apiRequest(withQuery('/staff', params), { schema: staffPageSchema, signal });
}

/** Every engineer (for selects); the API caps a page at 100. */
export async function listAllEngineers(signal?: AbortSignal): Promise<StaffMember[]> {
  const { items } = await listStaff({ role: 'engineer', pageSize: 100 }, signal);
  return items;
}

export function createStaff(body: StaffCreate): Promise<StaffMember> {
  return apiRequest('/staff', { method: 'POST', body, schema: staffMemberSchema });
}

export function updateStaff(id: string, body: StaffUpdate): Promise<StaffMember> {
  return apiRequest(`/staff/${encodeURIComponent(id)}`, { method: 'PUT', body, schema: staffMemberSchema });
}

/** A single-use code (valid 7 days) the staff member enters in the mini-program to bind WeChat. */
export function createInviteCode(id: string): Promise<InviteCode> {
  return apiRequest(`/staff/${encodeURIComponent(id)}/invite-code`, { method: 'POST', schema: inviteCodeSchema });
}
