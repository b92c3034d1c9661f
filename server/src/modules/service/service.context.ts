// What the service area needs from outside, and who is asking. Services never see the HTTP context.
import type { StaffRole } from '@qiao/shared';
import type { JobScheduler } from '../../jobs/runner.js';
import type { Logger } from '../../logger.js';

/** Where notifications point and which templates they use (config.wechat.templates). */
export interface NoticeSettings {
  templates: { serviceStatus: string; serviceOverdue: string; warranty: string; mpDispatch: string };
  /** Mini-program appid: template messages open its detail page. */
  mpAppid: string;
  /** Links in messages: `${publicBaseUrl}/h5/#/pages/…`. */
  publicBaseUrl: string;
}

export interface ServiceDeps {
  jobs: JobScheduler;
  logger: Logger;
  notices: NoticeSettings;
  /** QIAO_DUE_REMINDER_HOURS: the engineer is reminded this long before the requested time. */
  dueReminderHours: number;
}

export type CustomerViewer = { kind: 'customer'; wechatUserId: string };
export type StaffViewer = { kind: 'staff'; staffId: string; role: StaffRole; department: string | null };
/** The caller, as services see it (an auth Principal fits). */
export type Viewer = CustomerViewer | StaffViewer;
