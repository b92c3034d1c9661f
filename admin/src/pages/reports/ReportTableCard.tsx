// One table of a report: its chart (line, bar, stacked bar or pie, from the columns marked as
// charted; the first column is the category) and the table itself.
import { useMemo } from 'react';
import { Card, Empty, Table } from 'antd';
import type { TableColumnsType } from 'antd';
import { use, type ComposeOption } from 'echarts/core';
import { BarChart, LineChart, PieChart, type BarSeriesOption, type LineSeriesOption, type PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import type { ReportCell, ReportTable } from '@qiao/shared';
import { EChart } from '../../components/EChart';
import { chartValue, formatCell } from './reportFormat';

use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent]);

type Option = ComposeOption<BarSeriesOption | LineSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;
type Row = Record<string, ReportCell> & { key: string };

/** Categories drawn at most: a chart of 300 bars reads as noise; the table has them all. */
const CHARTED_ROWS = 40;

export function chartOption(table: ReportTable): Option | null {
  const [category, ...rest] = table.columns;
  const charted = rest.filter((column) => column.charted);
  if (!table.chart || !category || charted.length === 0 || table.rows.length === 0) return null;
  const rows = table.rows.slice(0, CHARTED_ROWS);
  const names = rows.map((row) => String(row[category.key] ?? ''));
  if (table.chart === 'pie') {
    const column = charted[0]!;
    return {
      tooltip: { trigger: 'item' },
      legend: { type: 'scroll', bottom: 0 },
      series: [{ type: 'pie', radius: ['35%', '65%'], name: column.title, data: rows.map((row, i) => ({ name: names[i]!, value: chartValue(column.kind, row[column.key]) ?? 0 })) }],
    };
  }
  const type = table.chart === 'line' ? 'line' : 'bar';
  return {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', top: 0 },
    grid: { left: 48, right: 24, top: 40, bottom: 32, containLabel: true },
    xAxis: { type: 'category', data: names, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value' },
    series: charted.map((column) =>
      type === 'line'
        ? { type: 'line', name: column.title, connectNulls: true, data: rows.map((row) => chartValue(column.kind, row[column.key])) }
        : { type: 'bar', name: column.title, stack: table.chart === 'stacked' ? 'total' : undefined, barMaxWidth: 28, data: rows.map((row) => chartValue(column.kind, row[column.key])) },
    ),
  };
}

export function ReportTableCard({ reportName, table, loading }: { reportName: string; table: ReportTable; loading: boolean }) {
  const option = useMemo(() => chartOption(table), [table]);
  const rows: Row[] = useMemo(() => table.rows.map((row, i) => ({ ...row, key: String(i) })), [table]);
  const columns: TableColumnsType<Row> = table.columns.map((column, i) => ({
    title: column.title,
    dataIndex: column.key,
    key: column.key,
    align: column.kind === 'text' ? 'left' : 'right',
    fixed: i === 0 ? 'left' : undefined,
    render: (value: ReportCell | undefined) => formatCell(column.kind, value),
  }));
  return (
    <Card id={`report-${reportName}-${table.key}`} title={table.title} size="small" style={{ marginBottom: 16 }}>
      {option ? <EChart id={`report-${reportName}-${table.key}-chart`} option={option} height={table.chart === 'pie' ? 300 : 320} notMerge style={{ marginBottom: 12 }} /> : null}
      <Table<Row>
        size="small"
        rowKey="key"
        loading={loading}
        dataSource={rows}
        columns={columns}
        pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="这段时间没有数据" /> }}
      />
    </Card>
  );
}
