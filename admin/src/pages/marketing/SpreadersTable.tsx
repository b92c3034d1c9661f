// 营销达人: staff and customers ranked by the reach their shares produced.
import { Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { TrophyFilled } from '@ant-design/icons';
import { spreaderKindLabels, type Paged, type Spreader } from '@qiao/shared';
import { PagedTable, RemoteTable } from '../../components/RemoteTable';
import type { Remote } from '../../lib/useRemote';

const medal = ['#faad14', '#bfbfbf', '#d48806'];


function Rank({ rank }: { rank: number }) {
  return rank <= 3 ? (
    <span className="spreader-rank">
      <TrophyFilled style={{ color: medal[rank - 1] }} /> {rank}
    </span>
  ) : (
    <span className="spreader-rank">{rank}</span>
  );
}

function Name({ row }: { row: Spreader }) {
  return (
    <span>
      <Typography.Text strong className="spreader-name">
        {row.name || '—'}
      </Typography.Text>{' '}
      <Tag color={row.kind === 'staff' ? 'blue' : 'green'}>{spreaderKindLabels[row.kind]}</Tag>
    </span>
  );
}

const fullColumns: TableColumnsType<Spreader> = [
  { title: '排名', dataIndex: 'rank', width: 70, render: (rank: number) => <Rank rank={rank} /> },
  { title: '姓名', dataIndex: 'name', render: (_, row) => <Name row={row} /> },
  {
    title: '直接带来',
    children: [
      { title: '阅读', key: 'dv', width: 80, align: 'right', render: (_, row) => row.direct.views },
      { title: '访客', key: 'du', width: 80, align: 'right', render: (_, row) => row.direct.uniqueVisitors },
    ],
  },
  {
    title: '间接带来（下级转发）',
    children: [
      { title: '阅读', key: 'iv', width: 80, align: 'right', render: (_, row) => row.indirect.views },
      { title: '访客', key: 'iu', width: 80, align: 'right', render: (_, row) => row.indirect.uniqueVisitors },
    ],
  },
  { title: '意向', dataIndex: 'intents', width: 70, align: 'right' },
  { title: '线索', dataIndex: 'leads', width: 70, align: 'right' },
];

const compactColumns: TableColumnsType<Spreader> = [
  { title: '#', dataIndex: 'rank', width: 56, render: (rank: number) => <Rank rank={rank} /> },
  { title: '姓名', dataIndex: 'name', render: (_, row) => <Name row={row} /> },
  {
    title: '访客',
    key: 'reach',
    width: 90,
    align: 'right',
    render: (_, row) => (
      <span title={`直接 ${row.direct.uniqueVisitors}，间接 ${row.indirect.uniqueVisitors}`}>
        {row.direct.uniqueVisitors + row.indirect.uniqueVisitors}
      </span>
    ),
  },
  { title: '线索', dataIndex: 'leads', width: 56, align: 'right' },
];

const rowKey = (row: Spreader) => `${row.kind}:${row.id}`;

/** The top of one campaign's leaderboard, beside its share tree. */
export function CompactSpreaders({ list }: { list: Remote<Paged<Spreader>> }) {
  return (
    <RemoteTable<Spreader>
      id="campaign-spreaders"
      remote={list}
      rowKey={rowKey}
      columns={compactColumns}
      rows={list.error ? [] : (list.data?.items ?? [])}
      emptyText="还没有人转发带来阅读"
    />
  );
}

export interface SpreadersTableProps {
  list: Remote<Paged<Spreader>>;
  current: number;
  pageSize: number;
  onPage: (page: number, pageSize: number) => void;
  filtered: boolean;
}

export function SpreadersTable({ list, current, pageSize, onPage, filtered }: SpreadersTableProps) {
  return (
    <PagedTable<Spreader>
      id="spreaders-table"
      bordered
      rowKey={rowKey}
      columns={fullColumns}
      list={list}
      current={current}
      pageSize={pageSize}
      onPage={onPage}
      unit="人"
      scroll={{ x: 'max-content' }}
      emptyText={filtered ? '没有符合条件的营销达人' : '还没有人转发营销方案带来阅读'}
    />
  );
}
