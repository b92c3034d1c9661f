// 派工日历: engineers in rows, the days of the period in columns, each cell the orders dispatched
// to that engineer that day (number, time, state; the requested visit time on hover) — the first
// few, and how many more.
import { Empty, Flex, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { CalendarEntry, DispatchCalendar } from '@qiao/shared';

type Row = DispatchCalendar['engineers'][number];

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
const weekday = (day: string) => WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()]!;

const STATUS_COLORS: Record<string, string> = { pending: 'orange', accepted: 'blue', in_progress: 'processing', completed: 'green' };

function Entry({ entry }: { entry: CalendarEntry }) {
  return (
    <Tooltip title={entry.requestedBy ? `期望上门：${entry.requestedBy}` : '未指定期望上门时间'}>
      <Tag color={STATUS_COLORS[entry.status] ?? 'default'} style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
        <div>{entry.number}</div>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {entry.time} · {entry.statusLabel}
        </Typography.Text>
      </Tag>
    </Tooltip>
  );
}

export function DispatchCalendarGrid({ calendar, loading }: { calendar: DispatchCalendar; loading: boolean }) {
  const columns: TableColumnsType<Row> = [
    { title: '工程师', dataIndex: 'name', key: 'name', fixed: 'left', width: 120 },
    ...calendar.days.map((day) => ({
      title: (
        <div style={{ textAlign: 'center' }}>
          <div>{day.slice(5)}</div>
          <Typography.Text type="secondary">周{weekday(day)}</Typography.Text>
        </div>
      ),
      key: day,
      width: 150,
      onCell: () => ({ style: { verticalAlign: 'top' } }),
      render: (_: unknown, row: Row) => (
        <Flex vertical gap={4}>
          {(row.cells[day] ?? []).map((entry) => (
            <Entry key={entry.workOrderId} entry={entry} />
          ))}
          {row.more?.[day] ? <Typography.Text type="secondary">另有 {row.more[day]} 单</Typography.Text> : null}
        </Flex>
      ),
    })),
  ];
  return (
    <Table<Row>
      id="report-calendar"
      size="small"
      bordered
      rowKey="id"
      loading={loading}
      dataSource={calendar.engineers}
      columns={columns}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有工程师或派工" /> }}
    />
  );
}
