import { Alert, Modal, Table, Tag } from 'antd';
import { staffBindingEventListSchema, type StaffBindingEvent } from '@qiao/shared';
import { apiRequest } from '../../api/client';
import { formatDateTime } from '../../lib/format';
import { useRemote } from '../../lib/useRemote';

export interface BindingEventsModalProps {
  /** Whose WeChat bindings to show; null when closed. */
  member: { id: string; name: string } | null;
  onClose: () => void;
}

function BindingEventsTable({ staffId }: { staffId: string }) {
  const events = useRemote(
    (signal) => apiRequest(`/staff/${encodeURIComponent(staffId)}/binding-events`, { schema: staffBindingEventListSchema, signal }),
    [staffId],
  );
  if (events.error) return <Alert type="error" showIcon message={events.error.message} />;
  return (
    <Table<StaffBindingEvent>
      id="binding-events-table"
      rowKey="id"
      size="small"
      pagination={false}
      loading={events.loading}
      dataSource={events.data?.items ?? []}
      locale={{ emptyText: '暂无绑定记录' }}
      columns={[
        { title: '时间', dataIndex: 'at', render: (value: string) => formatDateTime(value) },
        {
          title: '绑定',
          dataIndex: 'replaced',
          render: (replaced: boolean) => (replaced ? <Tag color="warning">更换了已绑定的微信</Tag> : <Tag>首次绑定</Tag>),
        },
        { title: '邀请码生成人', dataIndex: 'issuedBy', render: (value: string) => value || '—' },
      ]}
    />
  );
}

/** 绑定记录: when which WeChat was bound to the staff member, and whether it replaced another one. */
export function BindingEventsModal({ member, onClose }: BindingEventsModalProps) {
  return (
    <Modal open={member !== null} title={member ? `${member.name} 的微信绑定记录` : '绑定记录'} footer={null} onCancel={onClose} width={560}>
      {member ? <BindingEventsTable staffId={member.id} /> : null}
    </Modal>
  );
}
