// 分配线索: choose the salesperson who follows the lead up.
import { useEffect, useState } from 'react';
import { Alert, Form, Modal, Select } from 'antd';
import type { Lead } from '@qiao/shared';
import { assignLead } from '../../api/spread';
import { listStaff } from '../../api/staff';
import { toApiError, useRemote } from '../../lib/useRemote';
import type { ApiError } from '../../api/client';

export interface LeadsAssignModalProps {
  lead: Lead | null;
  onClose: () => void;
  onAssigned: (lead: Lead) => void;
}

export function LeadsAssignModal({ lead, onClose, onAssigned }: LeadsAssignModalProps) {
  const [ownerId, setOwnerId] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const open = Boolean(lead);
  // Only salespeople follow leads up; the list is loaded when the dialog opens.
  const sales = useRemote((signal) => (open ? listStaff({ role: 'sales', pageSize: 100 }, signal) : Promise.resolve(null)), [open]);

  useEffect(() => {
    setOwnerId(lead?.ownerId ?? undefined);
    setFailure(null);
  }, [lead]);

  const save = async () => {
    if (!lead || !ownerId) return;
    setSaving(true);
    setFailure(null);
    try {
      onAssigned(await assignLead(lead.id, ownerId));
    } catch (error) {
      setFailure(toApiError(error));
    } finally {
      setSaving(false);
    }
  };

  const options = (sales.data?.items ?? []).filter((member) => member.active).map((member) => ({
    value: member.id,
    label: member.departmentName ? `${member.name}（${member.departmentName}）` : member.name,
  }));
  return (
    <Modal
      open={open}
      title={lead ? `分配线索 · ${lead.company || lead.name}` : '分配线索'}
      okText="分配"
      okButtonProps={{ id: 'lead-assign-save', disabled: !ownerId, loading: saving }}
      onOk={save}
      onCancel={onClose}
      destroyOnHidden
    >
      {failure ? <Alert type="error" showIcon message={failure.message} style={{ marginBottom: 16 }} /> : null}
      {sales.error ? <Alert type="error" showIcon message={`销售人员加载失败：${sales.error.message}`} style={{ marginBottom: 16 }} /> : null}
      <Form layout="vertical">
        <Form.Item label="负责销售" required>
          <Select<string>
            id="lead-assign-owner"
            showSearch
            optionFilterProp="label"
            placeholder="选择销售人员"
            loading={sales.loading}
            value={ownerId}
            onChange={setOwnerId}
            options={options}
            notFoundContent={sales.loading ? '加载中…' : '没有可分配的销售人员'}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
