// 批量转移 (managers, admin): every customer of one person — typically someone who leaves — to
// another. The server moves them one by one; pressing again after an interruption moves the rest.
import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Select } from 'antd';
import type { ReassignResult } from '@qiao/shared';
import { listPoolOwners, reassignCustomers } from '../../api/pool';
import { listStaff } from '../../api/staff';
import { useAction } from '../../lib/useAction';
import { useRemote } from '../../lib/useRemote';
import { colleagueOption } from './StaffPickerModal';

export interface TransferAllModalProps {
  open: boolean;
  onClose: () => void;
  onDone: (result: ReassignResult) => void;
}

export function TransferAllModal({ open, onClose, onDone }: TransferAllModalProps) {
  const [fromStaffId, setFrom] = useState<string | undefined>(undefined);
  const [toStaffId, setTo] = useState<string | undefined>(undefined);
  const [reason, setReason] = useState('');
  const { saving, failure, run, reset } = useAction();
  // Those who leave may already be deactivated: all sales and managers of the caller's departments.
  const people = useRemote(
    async (signal) => (open ? [...(await listStaff({ role: 'sales', pageSize: 100 }, signal)).items, ...(await listStaff({ role: 'manager', pageSize: 100 }, signal)).items] : null),
    [open],
  );
  const owners = useRemote((signal) => (open ? listPoolOwners(signal) : Promise.resolve(null)), [open]);

  useEffect(() => {
    setFrom(undefined);
    setTo(undefined);
    setReason('');
    reset();
  }, [open, reset]);

  const save = async () => {
    if (!fromStaffId || !toStaffId || !reason.trim()) return;
    await run(async () => onDone(await reassignCustomers({ fromStaffId, toStaffId, reason: reason.trim() })));
  };

  const fromOptions = (people.data ?? []).map((member) => ({ value: member.id, label: `${member.name}${member.active ? '' : '（已停用）'}` }));
  const toOptions = (owners.data ?? []).filter((owner) => owner.id !== fromStaffId).map(colleagueOption);
  return (
    <Modal
      open={open}
      title="批量转移客户"
      okText="转移全部客户"
      okButtonProps={{ id: 'reassign-submit', disabled: !fromStaffId || !toStaffId || !reason.trim(), loading: saving }}
      onOk={save}
      onCancel={onClose}
      destroyOnHidden
    >
      {failure ? <Alert type="error" showIcon message={failure.message} style={{ marginBottom: 16 }} /> : null}
      <Form layout="vertical">
        <Form.Item label="转出人" required extra="将此人名下的全部客户转给接收人，如中途中断可再次提交继续。">
          <Select<string> id="reassign-from" showSearch optionFilterProp="label" placeholder="选择转出人" loading={people.loading} value={fromStaffId} onChange={setFrom} options={fromOptions} />
        </Form.Item>
        <Form.Item label="接收人" required>
          <Select<string> id="reassign-to" showSearch optionFilterProp="label" placeholder="选择接收人" loading={owners.loading} value={toStaffId} onChange={setTo} options={toOptions} />
        </Form.Item>
        <Form.Item label="原因" required>
          <Input.TextArea id="reassign-reason" value={reason} maxLength={200} showCount rows={2} placeholder="例如：离职交接" onChange={(event) => setReason(event.target.value)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
