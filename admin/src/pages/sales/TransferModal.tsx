// 转交: hand one customer to a colleague (active sales or manager) with a reason.
import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Select } from 'antd';
import type { Customer } from '@qiao/shared';
import type { ApiError } from '../../api/client';
import { listPoolOwners, transferCustomer } from '../../api/pool';
import { toApiError, useRemote } from '../../lib/useRemote';

export interface TransferModalProps {
  customer: Customer;
  open: boolean;
  onClose: () => void;
  onTransferred: (customer: Customer) => void;
}

export function TransferModal({ customer, open, onClose, onTransferred }: TransferModalProps) {
  const [toStaffId, setToStaffId] = useState<string | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const owners = useRemote((signal) => (open ? listPoolOwners(signal) : Promise.resolve(null)), [open]);

  useEffect(() => {
    setToStaffId(undefined);
    setReason('');
    setFailure(null);
  }, [open, customer.id]);

  const save = async () => {
    if (!toStaffId || !reason.trim()) return;
    setSaving(true);
    setFailure(null);
    try {
      onTransferred(await transferCustomer(customer.id, { toStaffId, reason: reason.trim() }));
    } catch (error) {
      setFailure(toApiError(error));
    } finally {
      setSaving(false);
    }
  };

  const options = (owners.data ?? [])
    .filter((owner) => owner.id !== customer.ownerId)
    .map((owner) => ({ value: owner.id, label: owner.departmentName ? `${owner.name}（${owner.departmentName}）` : owner.name }));
  return (
    <Modal
      open={open}
      title={`转交客户 · ${customer.name}`}
      okText="转交"
      okButtonProps={{ id: 'transfer-submit', disabled: !toStaffId || !reason.trim(), loading: saving }}
      onOk={save}
      onCancel={onClose}
      destroyOnHidden
    >
      {failure ? <Alert type="error" showIcon message={failure.message} style={{ marginBottom: 16 }} /> : null}
      {owners.error ? <Alert type="error" showIcon message={`人员加载失败：${owners.error.message}`} style={{ marginBottom: 16 }} /> : null}
      <Form layout="vertical">
        <Form.Item label="接收人" required>
          <Select<string>
            id="transfer-to"
            showSearch
            optionFilterProp="label"
            placeholder="选择接收的销售人员"
            loading={owners.loading}
            value={toStaffId}
            onChange={setToStaffId}
            options={options}
            notFoundContent={owners.loading ? '加载中…' : '没有可接收的人员'}
          />
        </Form.Item>
        <Form.Item label="转交原因" required>
          <Input.TextArea id="transfer-reason" value={reason} maxLength={200} showCount rows={3} placeholder="例如：区域调整、工作交接" onChange={(event) => setReason(event.target.value)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
