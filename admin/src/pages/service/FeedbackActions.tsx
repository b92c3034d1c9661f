import { useState } from 'react';
import { App as AntApp, Button, Space } from 'antd';
import { CheckCircleOutlined, RollbackOutlined, SendOutlined } from '@ant-design/icons';
import {
  allowedFeedbackActions,
  completeDirectlyRequestSchema,
  undispatchRequestSchema,
  type FeedbackDetail,
} from '@qiao/shared';
import type { ApiError } from '../../api/client';
import { completeFeedbackDirectly, undispatchFeedback } from '../../api/feedbacks';
import { DispatchModal } from './DispatchModal';
import { NoteActionModal } from './NoteActionModal';

export interface FeedbackActionsProps {
  feedback: FeedbackDetail;
  /** The request after a successful action. */
  onChanged: (detail: FeedbackDetail) => void;
  /** The server refused an action as illegal or raced (409): reload the request. */
  onStale: () => void;
}

type Open = 'dispatch' | 'undispatch' | 'complete' | null;

/** The dispatcher's actions, shown only when the shared state machine allows them. */
export function FeedbackActions({ feedback, onChanged, onStale }: FeedbackActionsProps) {
  const { message } = AntApp.useApp();
  const [open, setOpen] = useState<Open>(null);
  const actions = allowedFeedbackActions(feedback.status);
  const canDispatch = actions.includes('dispatch');
  // 改派 goes through POST /dispatch too: the open work order is cancelled and a new one created.
  const canReassign = !canDispatch && actions.includes('reassign');
  const canUndispatch = actions.includes('undispatch');
  const canComplete = actions.includes('complete_directly');

  const done = (detail: FeedbackDetail, text: string) => {
    setOpen(null);
    message.success(text);
    onChanged(detail);
  };
  // The modal shows the server's message; the request is reloaded since it changed meanwhile.
  const refused = (_error: ApiError) => onStale();

  if (!canDispatch && !canReassign && !canUndispatch && !canComplete) return null;
  return (
    <>
      <Space wrap>
        {canDispatch || canReassign ? (
          <Button id="action-dispatch" type="primary" icon={<SendOutlined />} onClick={() => setOpen('dispatch')}>
            {canDispatch ? '派工' : '改派'}
          </Button>
        ) : null}
        {canUndispatch ? (
          <Button id="action-undispatch" danger icon={<RollbackOutlined />} onClick={() => setOpen('undispatch')}>
            撤销派工
          </Button>
        ) : null}
        {canComplete ? (
          <Button id="action-complete" icon={<CheckCircleOutlined />} onClick={() => setOpen('complete')}>
            直接完成
          </Button>
        ) : null}
      </Space>
      <DispatchModal
        open={open === 'dispatch'}
        feedback={feedback}
        reassign={canReassign}
        onClose={() => setOpen(null)}
        onDone={(detail) => done(detail, canReassign ? '改派成功' : '派工成功')}
        onRefused={refused}
      />
      <NoteActionModal
        open={open === 'undispatch'}
        id="undispatch"
        title={`撤销派工 ${feedback.number}`}
        label="撤销原因"
        placeholder="例如：客户改约时间，需重新安排"
        maxLength={200}
        okText="撤销派工"
        danger
        schema={undispatchRequestSchema}
        field="reason"
        onClose={() => setOpen(null)}
        onRefused={refused}
        onSubmit={async (body) => done(await undispatchFeedback(feedback.id, body), '已撤销派工')}
      />
      <NoteActionModal
        open={open === 'complete'}
        id="complete"
        title={`直接完成 ${feedback.number}`}
        label="处理说明"
        placeholder="例如：已电话指导客户重启设备，问题解决"
        maxLength={500}
        okText="直接完成"
        schema={completeDirectlyRequestSchema}
        field="note"
        onClose={() => setOpen(null)}
        onRefused={refused}
        onSubmit={async (body) => done(await completeFeedbackDirectly(feedback.id, body), '已直接完成')}
      />
    </>
  );
}
