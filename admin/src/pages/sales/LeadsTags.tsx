// Labels and tags of a lead's status and source.
import { Tag } from 'antd';
import { leadSourceLabels, leadStatusLabels, type LeadSource, type LeadStatus } from '@qiao/shared';

const statusColors: Record<LeadStatus, string> = {
  new: 'gold',
  assigned: 'blue',
  following: 'processing',
  converted: 'success',
  closed: 'default',
};

export function LeadStatusTag({ status }: { status: LeadStatus }) {
  return (
    <Tag color={statusColors[status]} className="lead-status" data-status={status}>
      {leadStatusLabels[status] ?? status}
    </Tag>
  );
}

export function LeadSourceTag({ source }: { source: LeadSource }) {
  return <Tag bordered={false}>{leadSourceLabels[source] ?? source}</Tag>;
}

/** Where a staff member may move a lead by hand: assignment, 转化 and 关闭 (with a reason) have their own actions. */
export const manualStatuses: LeadStatus[] = ['following'];
