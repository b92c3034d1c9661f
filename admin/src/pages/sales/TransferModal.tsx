// 转交: hand one customer to a colleague (active sales or manager) with a reason.
import type { Customer } from '@qiao/shared';
import { listPoolOwners, transferCustomer } from '../../api/pool';
import { useRemote } from '../../lib/useRemote';
import { StaffPickerModal } from './StaffPickerModal';

export interface TransferModalProps {
  customer: Customer;
  open: boolean;
  onClose: () => void;
  onTransferred: (customer: Customer) => void;
}

export function TransferModal({ customer, open, onClose, onTransferred }: TransferModalProps) {
  const owners = useRemote((signal) => (open ? listPoolOwners(signal) : Promise.resolve(null)), [open]);
  return (
    <StaffPickerModal
      open={open}
      title={`转交客户 · ${customer.name}`}
      okText="转交"
      okId="transfer-submit"
      colleagues={(owners.data ?? []).filter((owner) => owner.id !== customer.ownerId)}
      loading={owners.loading}
      loadError={owners.error}
      picker={{ id: 'transfer-to', label: '接收人', placeholder: '选择接收的销售人员', empty: '没有可接收的人员', loadErrorTitle: '人员加载失败' }}
      reason={{ id: 'transfer-reason', label: '转交原因', placeholder: '例如：区域调整、工作交接' }}
      resetOn={[open, customer.id]}
      onSave={async (toStaffId, reason) => onTransferred(await transferCustomer(customer.id, { toStaffId, reason }))}
      onClose={onClose}
    />
  );
}
