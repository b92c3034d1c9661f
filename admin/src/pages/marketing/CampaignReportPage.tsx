// 效果分析: the campaigns started in a period, and the channels they used, side by side — a chart,
// a table and the Excel export.
import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { App as AntApp, Button, Card, Empty, Flex, Segmented, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { use, type ComposeOption } from 'echarts/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { campaignChannelLabels, reportChannelLabels, type Funnel } from '@qiao/shared';
import { campaignReportExportPath, downloadExport, getCampaignReport } from '../../api/spread';
import { EChart } from '../../components/EChart';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ListFilters } from '../../components/ListFilters';
import { PageHeading } from '../../components/PageHeading';
import { formatDate } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { toApiError, useRemote } from '../../lib/useRemote';
import { PeriodPicker, chinaToday, periodParams } from './ShareTreePeriod';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent]);

type Option = ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

interface Row extends Funnel {
  key: string;
  label: string;
  /** Campaign id (by campaign) — links to its funnel. */
  campaignId?: string;
  startedAt?: string | null;
  tags: string[];
}

const bars: Array<{ key: 'delivered' | 'read' | 'uniqueVisitors' | 'intents' | 'leads'; label: string }> = [
  { key: 'delivered', label: '送达' },
  { key: 'read', label: '阅读' },
  { key: 'uniqueVisitors', label: '独立访客' },
  { key: 'intents', label: '意向' },
  { key: 'leads', label: '线索' },
];

function rate(part: number, whole: number): number | null {
  return whole ? Math.round((part / whole) * 1000) / 10 : null;
}

function failedTotal(row: Funnel): number {
  return Object.values(row.failed).reduce((sum, count) => sum + count, 0);
}

function chartOption(rows: Row[]): Option {
  return {
    color: ['#1677ff', '#13c2c2', '#52c41a', '#faad14', '#f5222d', '#722ed1'],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 48, right: 56, top: 40, bottom: 32, containLabel: true },
    xAxis: { type: 'category', data: rows.map((row) => row.label), axisLabel: { interval: 0, width: 96, overflow: 'truncate' } },
    yAxis: [
      { type: 'value', name: '人数', minInterval: 1 },
      { type: 'value', name: '阅读率 %', max: 100, splitLine: { show: false } },
    ],
    series: [
      ...bars.map(
        (bar): BarSeriesOption => ({ type: 'bar', name: bar.label, data: rows.map((row) => row[bar.key]), barMaxWidth: 24 }),
      ),
      { type: 'line', name: '阅读率', yAxisIndex: 1, data: rows.map((row) => rate(row.read, row.delivered)), tooltip: { valueFormatter: (value) => (value == null ? '—' : `${String(value)}%`) } },
    ],
  };
}

/** Campaigns drawn in the chart at most. */
const CHARTED = 12;

function defaultPeriod(): { from: string; to: string } {
  const today = chinaToday();
  return { from: today.subtract(29, 'day').format('YYYY-MM-DD'), to: today.format('YYYY-MM-DD') };
}

export default function CampaignReportPage() {
  useDocumentTitle('效果分析');
  const { message } = AntApp.useApp();
  const [search, setSearch] = useSearchParams();
  // Without a period in the URL: the last 30 days; `?all=1` when the picker was cleared.
  const fallback = search.get('all') ? { from: '', to: '' } : defaultPeriod();
  const from = search.get('from') ?? fallback.from;
  const to = search.get('to') ?? fallback.to;
  const view = search.get('by') === 'channel' ? 'channel' : 'campaign';
  const period = periodParams(from, to);
  const report = useRemote((signal) => getCampaignReport(period, signal), [from, to]);
  const [exporting, setExporting] = useState(false);

  const setParams = (patch: Record<string, string>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(patch)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setSearch(next, { replace: false });
  };

  const rows: Row[] = useMemo(() => {
    if (!report.data) return [];
    if (view === 'channel') {
      return report.data.channels.map((channel) => ({ ...channel, key: channel.channel, label: reportChannelLabels[channel.channel], tags: [`${channel.campaigns} 个方案`] }));
    }
    return report.data.campaigns.map((campaign) => ({
      ...campaign,
      key: campaign.campaignId,
      label: campaign.name,
      tags: campaign.channels.map((channel) => campaignChannelLabels[channel]),
    }));
  }, [report.data, view]);
  // The chart stays readable with the campaigns that reached most people; the table has them all.
  const charted = useMemo(() => (rows.length > CHARTED ? [...rows].sort((a, b) => b.delivered + b.uniqueVisitors - (a.delivered + a.uniqueVisitors)).slice(0, CHARTED) : rows), [rows]);
  const option = useMemo(() => chartOption(charted), [charted]);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const name = await downloadExport(campaignReportExportPath(period), `营销效果分析-${from || '全部'}-${to || ''}.xlsx`);
      message.success(`已导出 ${name}`);
    } catch (error) {
      message.error(toApiError(error).message);
    } finally {
      setExporting(false);
    }
  };

  const columns: TableColumnsType<Row> = [
    {
      title: view === 'channel' ? '渠道' : '营销方案',
      dataIndex: 'label',
      fixed: 'left',
      render: (label: string, row) => (
        <div>
          {row.campaignId ? <Link to={`/marketing/campaigns/${encodeURIComponent(row.campaignId)}/funnel`}>{label}</Link> : label}
          <div>
            {row.tags.map((tag) => (
              <Tag key={tag} bordered={false}>
                {tag}
              </Tag>
            ))}
            {row.startedAt ? <Typography.Text type="secondary">{formatDate(row.startedAt)}</Typography.Text> : null}
          </div>
        </div>
      ),
    },
    { title: '目标', dataIndex: 'targeted', align: 'right' },
    { title: '送达', dataIndex: 'delivered', align: 'right' },
    { title: '失败', key: 'failed', align: 'right', render: (_, row) => failedTotal(row) },
    { title: '阅读', dataIndex: 'read', align: 'right' },
    { title: '阅读率', key: 'readRate', align: 'right', render: (_, row) => (rate(row.read, row.delivered) == null ? '—' : `${rate(row.read, row.delivered)}%`) },
    { title: '转发', dataIndex: 'shared', align: 'right' },
    { title: '独立访客', dataIndex: 'uniqueVisitors', align: 'right' },
    { title: '意向', dataIndex: 'intents', align: 'right' },
    { title: '线索', dataIndex: 'leads', align: 'right' },
    { title: '线索/送达', key: 'leadRate', align: 'right', render: (_, row) => (rate(row.leads, row.delivered) == null ? '—' : `${rate(row.leads, row.delivered)}%`) },
  ];

  return (
    <div id="campaign-report-page">
      <PageHeading
        area="营销"
        title="效果分析"
        extra={
          <Button id="report-export" type="primary" icon={<DownloadOutlined />} loading={exporting} disabled={!report.data} onClick={exportXlsx}>
            导出 Excel
          </Button>
        }
      />
      <Card>
        <ListFilters>
          <PeriodPicker
            id="report-period"
            from={from}
            to={to}
            placeholder={['方案开始日期', '方案结束日期']}
            onChange={(start, end) => setParams({ from: start, to: end, all: start || end ? '' : '1' })}
          />
          <Segmented
            id="report-view"
            value={view}
            options={[
              { value: 'campaign', label: '按方案' },
              { value: 'channel', label: '按渠道' },
            ]}
            onChange={(value) => setParams({ by: value === 'channel' ? 'channel' : '' })}
          />
          <Button icon={<ReloadOutlined />} onClick={report.reload}>
            刷新
          </Button>
        </ListFilters>
        <ErrorAlert error={report.error} onRetry={report.reload} title="效果数据加载失败" />
        {rows.length > CHARTED ? (
          <Typography.Text type="secondary">图中为送达与访客最多的 {CHARTED} 个方案，全部方案见下表</Typography.Text>
        ) : null}
        {rows.length > 0 ? (
          <EChart id="report-chart" option={option} height={360} notMerge style={{ marginBottom: 16 }} />
        ) : report.loading ? null : (
          <Flex justify="center" style={{ padding: 24 }}>
            <Empty description={from || to ? '这段时间内没有开始的营销方案' : '还没有开始过的营销方案'} />
          </Flex>
        )}
        <Table<Row>
          id="report-table"
          size="middle"
          rowKey="key"
          loading={report.loading}
          dataSource={rows}
          columns={columns}
          pagination={rows.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
          scroll={{ x: 'max-content' }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={report.error ? '加载失败' : '暂无数据'} /> }}
        />
      </Card>
    </div>
  );
}
