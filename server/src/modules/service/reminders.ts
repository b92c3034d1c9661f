// Reminders about the requested completion time (客户要求完成时间): the engineer is reminded
// QIAO_DUE_REMINDER_HOURS before it; once it passes, the customer is told and the engineer urged.
// Scheduled at dispatch, and a sweep every 15 minutes catches whatever a restart lost. Each
// reminder is recorded on the request (`reminders`), so it goes out once however often it runs.
import { Feedback, type FeedbackDoc } from './feedback.model.js';
import { noticeCustomerOverdue, noticeEngineer } from './notices.js';
import type { ServiceDeps } from './service.context.js';
import { StateChange, sweepClaims } from './state-change.js';

export const DUE_REMINDER_JOB = 'service.due-reminder';
export const REMINDER_SWEEP_JOB = 'service.reminder-sweep';
export const REMINDER_SWEEP_INTERVAL = '15 minutes';

export type ReminderKind = 'due_soon' | 'overdue';
export interface DueReminderJob {
  feedbackId: string;
  kind: ReminderKind;
}

const HOUR_MS = 3600_000;

/** At dispatch: one job before the requested time, one when it passes. Failures are left to the sweep. */
export async function scheduleDueReminders(deps: ServiceDeps, feedback: Pick<FeedbackDoc, '_id' | 'requestedBy'>, now: Date): Promise<void> {
  if (!feedback.requestedBy) return;
  const feedbackId = String(feedback._id);
  const dueSoonAt = new Date(feedback.requestedBy.getTime() - deps.dueReminderHours * HOUR_MS);
  try {
    await deps.jobs.schedule<DueReminderJob>(dueSoonAt > now ? dueSoonAt : now, DUE_REMINDER_JOB, { feedbackId, kind: 'due_soon' });
    await deps.jobs.schedule<DueReminderJob>(feedback.requestedBy, DUE_REMINDER_JOB, { feedbackId, kind: 'overdue' });
  } catch (error) {
    deps.logger.error({ err: error, feedbackId }, 'could not schedule due reminders; the sweep will send them');
  }
}

/** Whether the reminder is due at `now` for this request, and who gets it. */
function reminderDue(feedback: FeedbackDoc, kind: ReminderKind, deps: ServiceDeps, now: Date): boolean {
  if (!feedback.requestedBy || feedback.status === 'completed') return false;
  if (feedback.reminders.some((reminder) => reminder.kind === kind)) return false;
  const due = feedback.requestedBy.getTime();
  if (kind === 'overdue') return now.getTime() >= due;
  // Before the time only, and only when an engineer holds the request.
  return Boolean(feedback.engineerId) && now.getTime() >= due - deps.dueReminderHours * HOUR_MS && now.getTime() < due;
}

/** Send one reminder if it is due and was not sent yet. Returns whether it was sent. */
export async function runDueReminder({ feedbackId, kind }: DueReminderJob, deps: ServiceDeps, now = new Date()): Promise<boolean> {
  const feedback = await Feedback.findById(feedbackId).lean<FeedbackDoc>();
  if (!feedback || !reminderDue(feedback, kind, deps, now)) return false;
  // Recorded first (a claimed write: a second run at the same moment loses), then sent.
  await new StateChange(`reminder.${kind}`, 'system').update('Feedback', feedback, {}, { reminders: [{ kind, at: now }] }).commit();
  const engineer = feedback.engineerId && feedback.currentWorkOrderId ? { orderId: feedback.currentWorkOrderId, staffId: feedback.engineerId } : null;
  if (kind === 'overdue') await noticeCustomerOverdue(deps, feedback, now);
  if (engineer) await noticeEngineer(deps, feedback, engineer, kind, now);
  return true;
}

/** Every 15 minutes: reminders a restart lost, and state changes a crash interrupted. Returns reminders sent. */
export async function sweepReminders(deps: ServiceDeps, now = new Date()): Promise<number> {
  const horizon = new Date(now.getTime() + deps.dueReminderHours * HOUR_MS);
  // overdueAt is the requested time of open requests only: one indexed range.
  const candidates = await Feedback.find({ overdueAt: { $lte: horizon } }, { _id: 1 }).lean();
  let sent = 0;
  for (const { _id } of candidates) {
    for (const kind of ['overdue', 'due_soon'] as const) {
      try {
        if (await runDueReminder({ feedbackId: String(_id), kind }, deps, now)) sent += 1;
      } catch (error) {
        deps.logger.warn({ err: error, feedbackId: String(_id), kind }, 'reminder not sent; next sweep retries');
      }
    }
  }
  const recovered = await sweepClaims();
  if (recovered > 0) deps.logger.warn({ recovered }, 'finished state changes interrupted by a crash');
  return sent;
}
