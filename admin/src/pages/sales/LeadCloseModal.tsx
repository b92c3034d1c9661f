// 关闭线索 with a reason from the fixed list (a note is required for 其他), and the lead's actions
// of this kind in one place for the lead drawer: 转化, 关闭, 重新打开.
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App as AntApp, Button, Form, Input, Modal, Select, Space } from 'antd';
import { leadCloseReasonLabels, leadCloseReasons, leadCloseSchema, type Lead, type LeadCloseReason } from '@qiao/shared';
import { closeLead, reopenLead } from '../../api/opportunities';
import type { ApiError } from '../../api/client';
import { useSession } from '../../auth/useSession';
import { toApiError } from '../../lib/useRemote';
import { LeadConvertModal } from './LeadConvertModal';

export interface LeadCloseModalProps {
  lead: Lead | null;
  onClose: () => void;
  onClosed: (lead: Lead) => void;
}

const reasonOptions = leadCloseReasons.map((value) => ({ value, label: leadCloseReasonLabels[value] }));

export function LeadCloseModal({ lead, onClose, onClosed }: LeadCloseModalProps) {
  const [form] = Form.useForm<{ reason?: LeadCloseReason; note?: string }>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const reason = Form.useWatch('reason', form);

  useEffect(() => {
    if (!lead) return;
    form.resetFields();
    setFailure(null);
  }, [lead, form]);

  const submit = async () => {
    if (!lead) return;
    const values = await form.validateFields();
    const parsed = leadCloseSchema.safeParse({ reason: values.reason, note: values.note ?? '' });
    if (!parsed.success) {
      form.setFields(parsed.error.issues.map((issue) => ({ name: issue.path[0] === 'note' ? 'note' : 'reason', errors: [issue.message] })));
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      onClosed(await closeLead(lead.id, parsed.data));
    } catch (error) {
      setFailure(toApiError(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={Boolean(lead)}
      title={lead ? `关闭线索 · ${lead.company || lead.name}` : '关闭线索'}
      okText="关闭线索"
      okButtonProps={{ id: 'close-submit', danger: true, loading: saving }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(node) => <div id="lead-close-modal">{node}</div>}
    >
      <Form form={form} layout="vertical" name="lead-close" style={{ marginTop: 16 }}>
        <Form.Item name="reason" label="关闭原因" rules={[{ required: true, message: '请选择关闭原因' }]}>
          <Select<LeadCloseReason> id="close-reason" placeholder="选择原因" options={reasonOptions} />
        </Form.Item>
        <Form.Item name="note" label="说明" required={reason === 'other'}>
          <Input.TextArea id="close-note" rows={3} maxLength={500} showCount placeholder={reason === 'other' ? '请说明关闭原因' : '选填'} />
        </Form.Item>
      </Form>
      {failure ? <Alert type="error" showIcon message={failure.message} /> : null}
    </Modal>
  );
}

/**
 * 转化 / 关闭 / 重新打开 of a lead, for whoever may: convert and close — the owner, a collaborator, a
 * manager, admin; reopen — the owner, a manager, admin (the server decides in the end).
 */
export function LeadOutcomeActions({ lead, onChanged }: { lead: Lead; onChanged: (lead: Lead) => void }) {
  const { message } = AntApp.useApp();
  const session = useSession();
  const [converting, setConverting] = useState<Lead | null>(null);
  const [closing, setClosing] = useState<Lead | null>(null);
  const me = session?.user.id;
  const role = session?.user.role;
  const isManager = role === 'admin' || role === 'manager';
  const isOwner = role === 'sales' && lead.ownerId === me;
  const works = isManager || isOwner || (role === 'sales' && lead.collaborators.some((c) => c.id === me));
  const open = lead.status !== 'converted' && lead.status !== 'closed';

  const reopen = async () => {
    try {
      onChanged(await reopenLead(lead.id));
      message.success('线索已重新打开');
    } catch (error) {
      message.error(toApiError(error).message);
    }
  };

  return (
    <Space wrap>
      {works && open ? (
        <>
          <Button id="lead-convert" type="primary" disabled={!lead.ownerId} title={lead.ownerId ? undefined : '请先分配给销售人员'} onClick={() => setConverting(lead)}>
            转化
          </Button>
          <Button id="lead-close" onClick={() => setClosing(lead)}>
            关闭
          </Button>
        </>
      ) : null}
      {lead.status === 'closed' && (isManager || isOwner) ? (
        <Button id="lead-reopen" onClick={() => void reopen()}>
          重新打开
        </Button>
      ) : null}
      {lead.status === 'converted' && lead.customerId ? (
        <Link id="lead-open-customer" to={`/sales/customers/${encodeURIComponent(lead.customerId)}`}>
          查看客户
        </Link>
      ) : null}
      {lead.status === 'converted' && lead.opportunityId ? (
        <Link id="lead-open-opportunity" to={`/sales/opportunities?open=${encodeURIComponent(lead.opportunityId)}`}>
          查看商机
        </Link>
      ) : null}
      <LeadConvertModal
        lead={converting}
        onClose={() => setConverting(null)}
        onConverted={(result) => {
          setConverting(null);
          onChanged(result.lead);
          message.success(result.attached ? '线索已转化并关联到已有客户' : '线索已转化为新客户');
        }}
      />
      <LeadCloseModal
        lead={closing}
        onClose={() => setClosing(null)}
        onClosed={(closed) => {
          setClosing(null);
          onChanged(closed);
          message.success('线索已关闭');
        }}
      />
    </Space>
  );
}
