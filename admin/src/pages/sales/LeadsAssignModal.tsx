// 分配线索: choose the salesperson who follows the lead up — one lead, or the selected ones (批量分配).
import type { Lead, LeadBulkAssignResult } from '@qiao/shared';
import { assignLead, bulkAssignLeads } from '../../api/leads';
import { listStaff } from '../../api/staff';
import { useRemote } from '../../lib/useRemote';
import { StaffPickerModal } from './StaffPickerModal';

export interface LeadsAssignModalProps {
  lead: Lead | null;
  /** 批量分配: the selected leads' ids (instead of `lead`). */
  bulkIds?: string[] | null;
  onClose: () => void;
  onAssigned: (lead: Lead) => void;
  onBulkAssigned?: (result: LeadBulkAssignResult) => void;
}

export function LeadsAssignModal({ lead, bulkIds, onClose, onAssigned, onBulkAssigned }: LeadsAssignModalProps) {
  const bulk = !lead && Boolean(bulkIds?.length);
  const open = Boolean(lead) || bulk;
  // Only salespeople follow leads up; the list is loaded when the dialog opens.
  const sales = useRemote((signal) => (open ? listStaff({ role: 'sales', pageSize: 100 }, signal) : Promise.resolve(null)), [open]);

  return (
    <StaffPickerModal
      open={open}
      title={lead ? `分配线索 · ${lead.company || lead.name}` : bulk ? `批量分配 ${bulkIds?.length ?? 0} 条线索` : '分配线索'}
      okText="分配"
      okId="lead-assign-save"
      colleagues={(sales.data?.items ?? []).filter((member) => member.active)}
      loading={sales.loading}
      loadError={sales.error}
      picker={{ id: 'lead-assign-owner', label: '负责销售', placeholder: '选择销售人员', empty: '没有可分配的销售人员', loadErrorTitle: '销售人员加载失败' }}
      initial={lead?.ownerId ?? undefined}
      resetOn={[lead, bulkIds]}
      onSave={async (ownerId) => {
        if (lead) onAssigned(await assignLead(lead.id, ownerId));
        else if (bulkIds?.length) onBulkAssigned?.(await bulkAssignLeads(bulkIds, ownerId));
      }}
      onClose={onClose}
    />
  );
}
