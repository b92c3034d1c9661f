import { Button, DatePicker, Select } from 'antd';
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
import { FilterSelect, ListFilters, SearchInput } from '../../components/ListFilters';
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
  { value: 'true' as const, label: '已超期' },
  { value: 'false' as const, label: '未超期' },
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
    <ListFilters>
      <SearchInput
        id="feedback-search"
        value={query.q}
        placeholder="单号、客户、联系人、电话、序列号"
        width={240}
        onSearch={(value) => onChange({ q: value || undefined })}
      />
      <FilterSelect id="filter-status" placeholder="状态" width={120} options={statusOptions} value={query.status} onChange={(status) => onChange({ status })} />
      <FilterSelect id="filter-type" placeholder="服务类型" width={120} options={typeOptions} value={query.type} onChange={(type) => onChange({ type })} />
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
      <FilterSelect
        id="filter-overdue"
        placeholder="是否超期"
        width={120}
        options={overdueOptions}
        value={query.overdue}
        onChange={(overdue) => onChange({ overdue })}
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
    </ListFilters>
  );
}
