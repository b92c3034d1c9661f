// 分配线索: choose the salesperson who follows the lead up — one lead, or the selected ones (批量分配).
import { useEffect, useState } from 'react';
import { Alert, Form, Modal, Select } from 'antd';
import type { Lead, LeadBulkAssignResult } from '@qiao/shared';
import { assignLead, bulkAssignLeads } from '../../api/leads';
import { listStaff } from '../../api/staff';
import { toApiError, useRemote } from '../../lib/useRemote';
import type { ApiError } from '../../api/client';

export interface LeadsAssignModalProps {
  lead: Lead | null;
  /** 批量分配: the selected leads' ids (instead of `lead`). */
  bulkIds?: string[] | null;
  onClose: () => void;
  onAssigned: (lead: Lead) => void;
  onBulkAssigned?: (result: LeadBulkAssignResult) => void;
}

export function LeadsAssignModal({ lead, bulkIds, onClose, onAssigned, onBulkAssigned }: LeadsAssignModalProps) {
  const [ownerId, setOwnerId] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const bulk = !lead && Boolean(bulkIds?.length);
  const open = Boolean(lead) || bulk;
  // Only salespeople follow leads up; the list is loaded when the dialog opens.
  const sales = useRemote((signal) => (open ? listStaff({ role: 'sales', pageSize: 100 }, signal) : Promise.resolve(null)), [open]);

  useEffect(() => {
    setOwnerId(lead?.ownerId ?? undefined);
    setFailure(null);
  }, [lead, bulkIds]);

  const save = async () => {
    if (!ownerId) return;
    setSaving(true);
    setFailure(null);
    try {
      if (lead) onAssigned(await assignLead(lead.id, ownerId));
      else if (bulkIds?.length) onBulkAssigned?.(await bulkAssignLeads(bulkIds, ownerId));
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
      title={lead ? `分配线索 · ${lead.company || lead.name}` : bulk ? `批量分配 ${bulkIds?.length ?? 0} 条线索` : '分配线索'}
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
