import { Tag } from 'antd';
import {
  feedbackStatusLabels,
  feedbackTypeLabels,
  warrantyStateLabels,
  workOrderStatusLabels,
  type FeedbackStatus,
  type FeedbackType,
  type WarrantyState,
  type WorkOrderStatus,
} from '@qiao/shared';

const feedbackStatusColors: Record<FeedbackStatus, string> = {
  submitted: 'gold',
  dispatched: 'blue',
  accepted: 'cyan',
  in_progress: 'processing',
  completed: 'success',
};

export function FeedbackStatusTag({ status, id }: { status: FeedbackStatus; id?: string }) {
  return (
    <Tag id={id} color={feedbackStatusColors[status]} data-status={status}>
      {feedbackStatusLabels[status]}
    </Tag>
  );
}

export function FeedbackTypeTag({ type }: { type: FeedbackType }) {
  return <Tag bordered={false}>{feedbackTypeLabels[type]}</Tag>;
}

export function OverdueTag() {
  return <Tag color="error">已超期</Tag>;
}

/** The engineer got neither a subscribe message nor an Official Account message: phone them. */
export function NoticeMissedTag({ id }: { id?: string }) {
  return (
    <Tag color="warning" id={id} className="notice-missed" title="工程师未收到派工通知（未授权订阅消息且未关注公众号），请电话通知">
      未收到通知
    </Tag>
  );
}

const workOrderColors: Record<WorkOrderStatus, string> = {
  pending: 'gold',
  accepted: 'cyan',
  in_progress: 'processing',
  completed: 'success',
  rejected: 'error',
  cancelled: 'default',
};

export function WorkOrderStatusTag({ status }: { status: WorkOrderStatus }) {
  return <Tag color={workOrderColors[status]}>{workOrderStatusLabels[status]}</Tag>;
}

const warrantyColors: Record<WarrantyState, string> = { in_warranty: 'success', expiring: 'warning', expired: 'default' };

export function WarrantyTag({ state }: { state: WarrantyState }) {
  return (
    <Tag color={warrantyColors[state]} data-warranty={state}>
      {warrantyStateLabels[state]}
    </Tag>
  );
}
