import { Button, DatePicker, Flex, Input, Select } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import {
  feedbackStatuses,
  feedbackStatusLabels,
  feedbackTypeLabels,
  feedbackTypes,
  type FeedbackAdminListQuery,
  type StaffMember,
} from '@qiao/shared';
import { CommitInput } from '../../components/CommitInput';
import type { FilterKey } from './feedbackListQuery';

export type FilterPatch = Partial<Pick<FeedbackAdminListQuery, FilterKey>>;

export interface FeedbackFiltersProps {
  query: FeedbackAdminListQuery;
  onChange: (patch: FilterPatch) => void;
  onReset: () => void;
  onRefresh: () => void;
  engineers: StaffMember[];
  engineersLoading: boolean;
}

const statusOptions = feedbackStatuses.map((value) => ({ value, label: feedbackStatusLabels[value] }));
const typeOptions = feedbackTypes.map((value) => ({ value, label: feedbackTypeLabels[value] }));
const overdueOptions = [
  { value: 'true', label: '已超期' },
  { value: 'false', label: '未超期' },
];

function unique(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => a.localeCompare(b, 'zh-CN'));
}

/** Filters of the request list; every change goes straight to the URL. */
export function FeedbackFilters({ query, onChange, onReset, onRefresh, engineers, engineersLoading }: FeedbackFiltersProps) {
  const regions = unique(engineers.flatMap((engineer) => engineer.regions));
  const productLines = unique(engineers.flatMap((engineer) => engineer.productLines));
  const range: [dayjs.Dayjs, dayjs.Dayjs] | null = query.from && query.to ? [dayjs(query.from), dayjs(query.to)] : null;

  return (
    <Flex wrap gap={12} style={{ marginBottom: 16 }}>
      <Input.Search
        id="feedback-search"
        key={query.q ?? ''}
        defaultValue={query.q}
        allowClear
        placeholder="搜索单号、客户、电话"
        style={{ width: 240 }}
        onSearch={(value) => onChange({ q: value.trim() || undefined })}
      />
      <Select
        id="filter-status"
        allowClear
        placeholder="状态"
        style={{ width: 120 }}
        options={statusOptions}
        value={query.status}
        onChange={(value) => onChange({ status: value })}
      />
      <Select
        id="filter-type"
        allowClear
        placeholder="服务类型"
        style={{ width: 120 }}
        options={typeOptions}
        value={query.type}
        onChange={(value) => onChange({ type: value })}
      />
      <Select
        id="filter-engineer"
        allowClear
        showSearch
        optionFilterProp="label"
        placeholder="服务工程师"
        style={{ width: 150 }}
        loading={engineersLoading}
        options={engineers.map((engineer) => ({ value: engineer.id, label: engineer.name }))}
        value={query.engineerId}
        onChange={(value) => onChange({ engineerId: value })}
      />
      <CommitInput
        id="filter-region"
        placeholder="地区"
        value={query.region ?? ''}
        suggestions={regions}
        width={130}
        onCommit={(value) => onChange({ region: value || undefined })}
      />
      <CommitInput
        id="filter-product-line"
        placeholder="产品线"
        value={query.productLine ?? ''}
        suggestions={productLines}
        width={130}
        onCommit={(value) => onChange({ productLine: value || undefined })}
      />
      <Select
        id="filter-overdue"
        allowClear
        placeholder="是否超期"
        style={{ width: 120 }}
        options={overdueOptions}
        value={query.overdue}
        onChange={(value) => onChange({ overdue: value })}
      />
      <DatePicker.RangePicker
        id={{ start: 'filter-from', end: 'filter-to' }}
        placeholder={['提交开始日期', '提交结束日期']}
        value={range}
        onChange={(dates) => {
          const [start, end] = dates ?? [];
          onChange({ from: start ? start.format('YYYY-MM-DD') : undefined, to: end ? end.format('YYYY-MM-DD') : undefined });
        }}
      />
      <Button onClick={onReset}>重置</Button>
      <Button icon={<ReloadOutlined />} onClick={onRefresh}>
        刷新
      </Button>
    </Flex>
  );
}
