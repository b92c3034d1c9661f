import { useState, type ReactNode } from 'react';
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
import type { Parser } from '../../lib/zodForm';
import { DispatchModal } from './DispatchModal';
import { NoteActionModal } from './NoteActionModal';

export interface FeedbackActionsProps {
  feedback: FeedbackDetail;
  /** The request after a successful action. */
  onChanged: (detail: FeedbackDetail) => void;
  /** The server refused an action as illegal or raced (409): reload the request. */
  onStale: () => void;
}

/** An action confirmed with one text (NoteActionModal): ids `action-<key>`, `<key>-modal`, `<key>-text`, `<key>-confirm`. */
interface NoteAction<T> {
  key: 'undispatch' | 'complete';
  /** On the button, in the modal's title and on its OK button. */
  name: string;
  icon: ReactNode;
  danger?: boolean;
  label: string;
  placeholder: string;
  maxLength: number;
  schema: Parser<T>;
  field: string;
  send: (id: string, body: T) => Promise<FeedbackDetail>;
  doneText: string;
}

const undispatchAction: NoteAction<{ reason: string }> = {
  key: 'undispatch',
  name: '撤销派工',
  icon: <RollbackOutlined />,
  danger: true,
  label: '撤销原因',
  placeholder: '例如：客户改约时间，需重新安排',
  maxLength: 200,
  schema: undispatchRequestSchema,
  field: 'reason',
  send: undispatchFeedback,
  doneText: '已撤销派工',
};

const completeAction: NoteAction<{ note: string }> = {
  key: 'complete',
  name: '直接完成',
  icon: <CheckCircleOutlined />,
  label: '处理说明',
  placeholder: '例如：已电话指导客户重启设备，问题解决',
  maxLength: 500,
  schema: completeDirectlyRequestSchema,
  field: 'note',
  send: completeFeedbackDirectly,
  doneText: '已直接完成',
};

type Open = 'dispatch' | NoteAction<unknown>['key'] | null;

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

  const noteButton = <T,>(action: NoteAction<T>) => (
    <Button id={`action-${action.key}`} danger={action.danger} icon={action.icon} onClick={() => setOpen(action.key)}>
      {action.name}
    </Button>
  );
  const noteModal = <T,>(action: NoteAction<T>) => (
    <NoteActionModal
      open={open === action.key}
      id={action.key}
      title={`${action.name} ${feedback.number}`}
      label={action.label}
      placeholder={action.placeholder}
      maxLength={action.maxLength}
      okText={action.name}
      danger={action.danger}
      schema={action.schema}
      field={action.field}
      onClose={() => setOpen(null)}
      onRefused={refused}
      onSubmit={async (body) => done(await action.send(feedback.id, body), action.doneText)}
    />
  );

  if (!canDispatch && !canReassign && !canUndispatch && !canComplete) return null;
  return (
    <>
      <Space wrap>
        {canDispatch || canReassign ? (
          <Button id="action-dispatch" type="primary" icon={<SendOutlined />} onClick={() => setOpen('dispatch')}>
            {canDispatch ? '派工' : '改派'}
          </Button>
        ) : null}
        {canUndispatch ? noteButton(undispatchAction) : null}
        {canComplete ? noteButton(completeAction) : null}
      </Space>
      <DispatchModal
        open={open === 'dispatch'}
        feedback={feedback}
        reassign={canReassign}
        onClose={() => setOpen(null)}
        onDone={(detail) => done(detail, canReassign ? '改派成功' : '派工成功')}
        onRefused={refused}
      />
      {noteModal(undispatchAction)}
      {noteModal(completeAction)}
    </>
  );
}
