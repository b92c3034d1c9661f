// The work-order state machine — the only way a service request or work order changes state.
// Pure: the server applies it before every write; the apps use it to show only possible actions.
import { feedbackStatusLabels, type FeedbackStatus, workOrderStatusLabels, type WorkOrderStatus } from './feedback.js';

interface Transition<S extends string> {
  from: readonly S[];
  to: S;
  label: string;
}

export const workOrderTransitions = {
  accept: { from: ['pending'], to: 'accepted', label: '接单' },
  reject: { from: ['pending'], to: 'rejected', label: '拒单' },
  transfer: { from: ['pending', 'accepted', 'in_progress'], to: 'pending', label: '转派' },
  record_visit: { from: ['accepted', 'in_progress'], to: 'in_progress', label: '记录处理' },
  complete: { from: ['in_progress'], to: 'completed', label: '完工' },
  cancel: { from: ['pending', 'accepted', 'in_progress'], to: 'cancelled', label: '撤销派工' },
} as const satisfies Record<string, Transition<WorkOrderStatus>>;
export type WorkOrderAction = keyof typeof workOrderTransitions;

export const feedbackTransitions = {
  dispatch: { from: ['submitted'], to: 'dispatched', label: '派工' },
  undispatch: { from: ['dispatched', 'accepted', 'in_progress'], to: 'submitted', label: '撤销派工' },
  accept: { from: ['dispatched'], to: 'accepted', label: '接单' },
  reject: { from: ['dispatched'], to: 'submitted', label: '拒单' },
  transfer: { from: ['dispatched', 'accepted', 'in_progress'], to: 'dispatched', label: '转派' },
  /** The dispatcher sends an open request to another engineer (the open order is cancelled). */
  reassign: { from: ['dispatched', 'accepted', 'in_progress'], to: 'dispatched', label: '改派' },
  record_visit: { from: ['accepted', 'in_progress'], to: 'in_progress', label: '记录处理' },
  complete: { from: ['in_progress'], to: 'completed', label: '完工' },
  complete_directly: { from: ['submitted', 'dispatched', 'accepted', 'in_progress'], to: 'completed', label: '直接完成' },
} as const satisfies Record<string, Transition<FeedbackStatus>>;
export type FeedbackAction = keyof typeof feedbackTransitions;

/** Work orders an engineer still has to act on: they count as load and block a second dispatch. */
export const openWorkOrderStatuses = ['pending', 'accepted', 'in_progress'] as const satisfies readonly WorkOrderStatus[];
export function isOpenWorkOrder(status: WorkOrderStatus): boolean {
  return (openWorkOrderStatuses as readonly string[]).includes(status);
}

export type TransitionResult<S> = { ok: true; status: S } | { ok: false; code: 'ILLEGAL_TRANSITION'; message: string };

function apply<S extends string>(transition: Transition<S>, status: S, statusLabel: string): TransitionResult<S> {
  if ((transition.from as readonly string[]).includes(status)) return { ok: true, status: transition.to };
  return { ok: false, code: 'ILLEGAL_TRANSITION', message: `当前状态为“${statusLabel}”，不能${transition.label}` };
}

export function nextWorkOrderStatus(status: WorkOrderStatus, action: WorkOrderAction): TransitionResult<WorkOrderStatus> {
  return apply<WorkOrderStatus>(workOrderTransitions[action], status, workOrderStatusLabels[status]);
}

export function nextFeedbackStatus(status: FeedbackStatus, action: FeedbackAction): TransitionResult<FeedbackStatus> {
  return apply<FeedbackStatus>(feedbackTransitions[action], status, feedbackStatusLabels[status]);
}

/** Collaborators join an open order; the status stays as it is. */
export function canAddCollaborators(status: WorkOrderStatus): TransitionResult<WorkOrderStatus> {
  if (isOpenWorkOrder(status)) return { ok: true, status };
  return { ok: false, code: 'ILLEGAL_TRANSITION', message: `当前状态为“${workOrderStatusLabels[status]}”，不能添加协作人` };
}

export function allowedWorkOrderActions(status: WorkOrderStatus): WorkOrderAction[] {
  return (Object.keys(workOrderTransitions) as WorkOrderAction[]).filter((action) =>
    (workOrderTransitions[action].from as readonly string[]).includes(status),
  );
}

export function allowedFeedbackActions(status: FeedbackStatus): FeedbackAction[] {
  return (Object.keys(feedbackTransitions) as FeedbackAction[]).filter((action) =>
    (feedbackTransitions[action].from as readonly string[]).includes(status),
  );
}
