// Labels and tags of a lead's status and source.
import { Tag } from 'antd';
import type { LeadSource, LeadStatus } from '../../api/spread';

export const leadStatusLabels: Record<LeadStatus, string> = {
  new: '新线索',
  assigned: '已分配',
  following: '跟进中',
  converted: '已转化',
  closed: '已关闭',
};

export const leadSourceLabels: Record<LeadSource, string> = {
  campaign: '营销方案',
  'official-account': '公众号',
  manual: '手工录入',
  import: '导入',
};

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

/** Where a staff member may move a lead by hand: assignment has its own action. */
export const manualStatuses: LeadStatus[] = ['following', 'converted', 'closed'];
