// Who is calling: a staff member (console, or the mini-program through a bound WeChat) or a
// customer (a mini-program session). Sessions resolve to these; services take them as viewers.
import type { StaffRole } from '@qiao/shared';

export type StaffPrincipal = {
  kind: 'staff';
  staffId: string;
  role: StaffRole;
  department: string | null;
  sessionId: string;
  /**
   * Set when the staff member came through the mini-program: a customer session of a WeChat user
   * bound to this staff member by invite code. Absent for console (password) sessions.
   */
  wechatUserId?: string;
};
export type CustomerPrincipal = { kind: 'customer'; wechatUserId: string; sessionId: string };
export type Principal = StaffPrincipal | CustomerPrincipal;
