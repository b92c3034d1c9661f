// The state machine: every transition it allows, and the refusal (with its Chinese message) of
// every one it does not; the actions offered in each state; which orders are open.
import {
  allowedFeedbackActions,
  feedbackStatusLabels,
  allowedWorkOrderActions,
  canAddCollaborators,
  feedbackStatuses,
  feedbackTransitions,
  isOpenWorkOrder,
  nextFeedbackStatus,
  nextWorkOrderStatus,
  openWorkOrderStatuses,
  workOrderStatusLabels,
  workOrderStatuses,
  workOrderTransitions,
  type FeedbackAction,
  type FeedbackStatus,
  type TransitionResult,
  type WorkOrderAction,
  type WorkOrderStatus,
} from '@qiao/shared';
import { describe, expect, it } from 'vitest';

const WORK_ORDER_TABLE: Record<WorkOrderAction, Partial<Record<WorkOrderStatus, WorkOrderStatus>>> = {
  accept: { pending: 'accepted' },
  reject: { pending: 'rejected' },
  transfer: { pending: 'pending', accepted: 'pending', in_progress: 'pending' },
  record_visit: { accepted: 'in_progress', in_progress: 'in_progress' },
  complete: { in_progress: 'completed' },
  cancel: { pending: 'cancelled', accepted: 'cancelled', in_progress: 'cancelled' },
};

const FEEDBACK_TABLE: Record<FeedbackAction, Partial<Record<FeedbackStatus, FeedbackStatus>>> = {
  dispatch: { submitted: 'dispatched' },
  undispatch: { dispatched: 'submitted', accepted: 'submitted', in_progress: 'submitted' },
  accept: { dispatched: 'accepted' },
  reject: { dispatched: 'submitted' },
  transfer: { dispatched: 'dispatched', accepted: 'dispatched', in_progress: 'dispatched' },
  reassign: { dispatched: 'dispatched', accepted: 'dispatched', in_progress: 'dispatched' },
  record_visit: { accepted: 'in_progress', in_progress: 'in_progress' },
  complete: { in_progress: 'completed' },
  complete_directly: { submitted: 'completed', dispatched: 'completed', accepted: 'completed', in_progress: 'completed' },
};

/** The actions the table allows from `status`, sorted. */
const actionsFrom = <Action extends string, Status extends string>(table: Record<Action, Partial<Record<Status, Status>>>, status: Status) =>
  (Object.keys(table) as Action[]).filter((action) => table[action][status] !== undefined).sort();

/** One test per action × status: the status the table names, or a refusal that `expectRefused` checks. */
function eachTransition<Action extends string, Status extends string>(
  table: Record<Action, Partial<Record<Status, Status>>>,
  statuses: readonly Status[],
  next: (status: Status, action: Action) => TransitionResult<Status>,
  expectRefused: (result: TransitionResult<Status>, action: Action) => void,
): void {
  for (const action of Object.keys(table) as Action[]) {
    for (const status of statuses) {
      const expected = table[action][status];
      it(`${action} from ${status} → ${expected ?? 'refused'}`, () => {
        const result = next(status, action);
        if (expected) expect(result).toEqual({ ok: true, status: expected });
        else expectRefused(result, action);
      });
    }
  }
}

describe('work order machine', () => {
  it('covers every action', () => {
    expect(Object.keys(WORK_ORDER_TABLE).sort()).toEqual(Object.keys(workOrderTransitions).sort());
  });

  eachTransition(WORK_ORDER_TABLE, workOrderStatuses, nextWorkOrderStatus, (result, action) => {
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('ILLEGAL_TRANSITION');
      expect(result.message).toMatch(/^当前状态为“.+”，不能.+$/);
      expect(result.message).toContain(workOrderTransitions[action].label);
    }
  });

  it('names the current state and the refused action in the message', () => {
    expect(nextWorkOrderStatus('completed', 'accept')).toEqual({ ok: false, code: 'ILLEGAL_TRANSITION', message: '当前状态为“已完成”，不能接单' });
    expect(nextWorkOrderStatus('cancelled', 'record_visit')).toEqual({ ok: false, code: 'ILLEGAL_TRANSITION', message: '当前状态为“已撤销”，不能记录处理' });
    expect(nextWorkOrderStatus('rejected', 'transfer')).toEqual({ ok: false, code: 'ILLEGAL_TRANSITION', message: '当前状态为“已拒单”，不能转派' });
    for (const status of workOrderStatuses) {
      for (const action of Object.keys(workOrderTransitions) as WorkOrderAction[]) {
        const result = nextWorkOrderStatus(status, action);
        if (!result.ok) expect(result.message).toBe(`当前状态为“${workOrderStatusLabels[status]}”，不能${workOrderTransitions[action].label}`);
      }
    }
  });

  it.each(workOrderStatuses)('offers from %s exactly the actions the table allows', (status) => {
    expect(allowedWorkOrderActions(status).sort()).toEqual(actionsFrom(WORK_ORDER_TABLE, status));
  });

  it('finished orders (completed, rejected, cancelled) allow nothing and are not open', () => {
    for (const status of ['completed', 'rejected', 'cancelled'] as const) {
      expect(allowedWorkOrderActions(status)).toEqual([]);
      expect(isOpenWorkOrder(status)).toBe(false);
    }
    for (const status of openWorkOrderStatuses) expect(isOpenWorkOrder(status)).toBe(true);
    // An open order can always be cancelled (改派, 撤销派工, 直接完成) and transferred.
    for (const status of openWorkOrderStatuses) expect(allowedWorkOrderActions(status)).toEqual(expect.arrayContaining(['cancel', 'transfer']));
  });

  it('lists the actions possible in each state, and which orders are open', () => {
    expect(allowedWorkOrderActions('pending').sort()).toEqual(['accept', 'cancel', 'reject', 'transfer']);
    expect(allowedWorkOrderActions('in_progress').sort()).toEqual(['cancel', 'complete', 'record_visit', 'transfer']);
    expect(allowedWorkOrderActions('completed')).toEqual([]);
    expect(workOrderStatuses.filter(isOpenWorkOrder)).toEqual(['pending', 'accepted', 'in_progress']);
  });

  it.each(workOrderStatuses)('lets collaborators join a %s order only while it is open, keeping its status', (status) => {
    const result = canAddCollaborators(status);
    if (isOpenWorkOrder(status)) expect(result).toEqual({ ok: true, status });
    else expect(result).toEqual({ ok: false, code: 'ILLEGAL_TRANSITION', message: `当前状态为“${workOrderStatusLabels[status]}”，不能添加协作人` });
  });

  it('lets collaborators join open orders only', () => {
    expect(canAddCollaborators('accepted')).toEqual({ ok: true, status: 'accepted' });
    const refused = canAddCollaborators('completed');
    expect(refused).toEqual({ ok: false, code: 'ILLEGAL_TRANSITION', message: '当前状态为“已完成”，不能添加协作人' });
    expect(canAddCollaborators('rejected').ok).toBe(false);
    expect(canAddCollaborators('cancelled').ok).toBe(false);
  });
});

describe('service request machine', () => {
  it('covers every action', () => {
    expect(Object.keys(FEEDBACK_TABLE).sort()).toEqual(Object.keys(feedbackTransitions).sort());
  });

  eachTransition(FEEDBACK_TABLE, feedbackStatuses, nextFeedbackStatus, (result) => {
    expect(result).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
  });

  it.each(feedbackStatuses)('offers from %s exactly the actions the table allows', (status) => {
    expect(allowedFeedbackActions(status).sort()).toEqual(actionsFrom(FEEDBACK_TABLE, status));
  });

  it('refuses with the current state and the action named', () => {
    for (const status of feedbackStatuses) {
      for (const action of Object.keys(feedbackTransitions) as FeedbackAction[]) {
        const result = nextFeedbackStatus(status, action);
        if (!result.ok) expect(result.message).toBe(`当前状态为“${feedbackStatusLabels[status]}”，不能${feedbackTransitions[action].label}`);
      }
    }
    expect(nextFeedbackStatus('submitted', 'accept')).toEqual({ ok: false, code: 'ILLEGAL_TRANSITION', message: '当前状态为“待派工”，不能接单' });
  });

  it('says in Chinese why a change is refused', () => {
    expect(nextFeedbackStatus('completed', 'dispatch')).toEqual({ ok: false, code: 'ILLEGAL_TRANSITION', message: '当前状态为“已完成”，不能派工' });
    expect(allowedFeedbackActions('completed')).toEqual([]);
    expect(allowedFeedbackActions('submitted').sort()).toEqual(['complete_directly', 'dispatch']);
  });
});
