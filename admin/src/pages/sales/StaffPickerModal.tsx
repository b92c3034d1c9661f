// One colleague chosen in a modal, with a reason when the action asks for one: 分配线索, 转交客户.
import { useEffect, useState, type DependencyList } from 'react';
import { Alert, Form, Input, Modal, Select } from 'antd';
import type { ApiError } from '../../api/client';
import { useAction } from '../../lib/useAction';

export interface Colleague {
  id: string;
  name: string;
  departmentName?: string | null;
}

/** A colleague as a choice: 张三（东区）. */
export const colleagueOption = (member: Colleague) => ({
  value: member.id,
  label: member.departmentName ? `${member.name}（${member.departmentName}）` : member.name,
});

export interface StaffPickerModalProps {
  open: boolean;
  title: string;
  okText: string;
  okId: string;
  /** Who may be chosen, and the load behind them. */
  colleagues: Colleague[];
  loading: boolean;
  loadError: ApiError | null;
  picker: {
    id: string;
    label: string;
    placeholder: string;
    /** Said when nobody may be chosen. */
    empty: string;
    /** Title of a failed load: `<loadErrorTitle>：<message>`. */
    loadErrorTitle: string;
  };
  /** A required reason under the choice. */
  reason?: { id: string; label: string; placeholder: string };
  /** The choice shown when the modal (re)starts. */
  initial?: string;
  /** When the choice, the reason and a failure start over. */
  resetOn: DependencyList;
  /** Runs the action with the chosen colleague (and the trimmed reason); a failure stays in the modal. */
  onSave: (staffId: string, reason: string) => Promise<void>;
  onClose: () => void;
}

export function StaffPickerModal({ open, title, okText, okId, colleagues, loading, loadError, picker, reason, initial, resetOn, onSave, onClose }: StaffPickerModalProps) {
  const [staffId, setStaffId] = useState<string | undefined>(undefined);
  const [reasonText, setReasonText] = useState('');
  const { saving, failure, run, reset } = useAction();

  useEffect(() => {
    setStaffId(initial);
    setReasonText('');
    reset();
    // `resetOn` says when the caller's record changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, resetOn);

  const ready = Boolean(staffId) && (!reason || Boolean(reasonText.trim()));
  const save = async () => {
    if (!staffId || !ready) return;
    await run(() => onSave(staffId, reasonText.trim()));
  };

  return (
    <Modal open={open} title={title} okText={okText} okButtonProps={{ id: okId, disabled: !ready, loading: saving }} onOk={save} onCancel={onClose} destroyOnHidden>
      {failure ? <Alert type="error" showIcon message={failure.message} style={{ marginBottom: 16 }} /> : null}
      {loadError ? <Alert type="error" showIcon message={`${picker.loadErrorTitle}：${loadError.message}`} style={{ marginBottom: 16 }} /> : null}
      <Form layout="vertical">
        <Form.Item label={picker.label} required>
          <Select<string>
            id={picker.id}
            showSearch
            optionFilterProp="label"
            placeholder={picker.placeholder}
            loading={loading}
            value={staffId}
            onChange={setStaffId}
            options={colleagues.map(colleagueOption)}
            notFoundContent={loading ? '加载中…' : picker.empty}
          />
        </Form.Item>
        {reason ? (
          <Form.Item label={reason.label} required>
            <Input.TextArea id={reason.id} value={reasonText} maxLength={200} showCount rows={3} placeholder={reason.placeholder} onChange={(event) => setReasonText(event.target.value)} />
          </Form.Item>
        ) : null}
      </Form>
    </Modal>
  );
}
