// 效果漏斗: one campaign from targeted to leads, the failures by reason, and the Excel export.
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { App as AntApp, Button, Card, Col, Empty, Flex, Row, Spin, Table, Typography } from 'antd';
import { ApartmentOutlined, DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { use, type ComposeOption } from 'echarts/core';
import { FunnelChart, type FunnelSeriesOption } from 'echarts/charts';
import { TooltipComponent, type TooltipComponentOption } from 'echarts/components';
import type { Funnel } from '@qiao/shared';
import { deliveryReasonLabel, downloadExport, funnelExportPath, getCampaignBrief, getFunnel } from '../../api/spread';
import { EChart } from '../../components/EChart';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { toApiError, useRemote } from '../../lib/useRemote';

use([FunnelChart, TooltipComponent]);

type Option = ComposeOption<FunnelSeriesOption | TooltipComponentOption>;

type StepKey = 'targeted' | 'delivered' | 'read' | 'uniqueVisitors' | 'intents' | 'leads';

export const funnelSteps: Array<{ key: StepKey; label: string; hint: string }> = [
  { key: 'targeted', label: '目标人数', hint: '客户细分圈定、应发送的人数' },
  { key: 'delivered', label: '送达', hint: '微信已成功送达' },
  { key: 'read', label: '阅读', hint: '收到后打开了方案的人' },
  { key: 'uniqueVisitors', label: '独立访客', hint: '含被转发带来的访客，每人只计一次' },
  { key: 'intents', label: '意向', hint: '提交意向表单的次数' },
  { key: 'leads', label: '线索', hint: '由意向生成的线索' },
];

const palette = ['#1677ff', '#13c2c2', '#52c41a', '#faad14', '#fa8c16', '#f5222d'];

function percent(part: number, whole: number): string {
  if (!whole) return '—';
  return `${((part / whole) * 100).toFixed(1)}%`;
}

interface StepRow {
  key: string;
  label: string;
  hint: string;
  value: number;
  ofPrevious: string;
  ofTargeted: string;
}

function stepRows(funnel: Funnel): StepRow[] {
  const rows = funnelSteps.map((step, index): StepRow => {
    const before = funnelSteps[index - 1];
    const previous = before ? funnel[before.key] : funnel.targeted;
    return {
      key: step.key,
      label: step.label,
      hint: step.hint,
      value: funnel[step.key],
      ofPrevious: before ? percent(funnel[step.key], previous) : '—',
      ofTargeted: percent(funnel[step.key], funnel.targeted),
    };
  });
  rows.splice(3, 0, { key: 'shared', label: '转发', hint: '带来了新访客的转发人数（不在漏斗中）', value: funnel.shared, ofPrevious: '—', ofTargeted: percent(funnel.shared, funnel.targeted) });
  return rows;
}

function funnelOption(funnel: Funnel): Option {
  return {
    tooltip: { trigger: 'item', formatter: '{b}：{c}' },
    color: palette,
    series: [
      {
        type: 'funnel',
        // The steps keep their order: visitors brought by shares can outnumber those who read.
        sort: 'none',
        left: '8%',
        width: '62%',
        top: 10,
        bottom: 10,
        minSize: '8%',
        gap: 2,
        // Beside the shapes: a narrow step (few leads) would cut a label inside it.
        label: { show: true, position: 'right', formatter: '{b}  {c}', color: '#262626', fontSize: 13 },
        labelLine: { show: true, length: 16, lineStyle: { color: '#bfbfbf' } },
        data: funnelSteps.map((step) => ({ name: step.label, value: funnel[step.key] })),
      },
    ],
  };
}

export default function FunnelPage() {
  const { id = '' } = useParams();
  const { message } = AntApp.useApp();
  const campaign = useRemote((signal) => getCampaignBrief(id, signal), [id]);
  const funnel = useRemote((signal) => getFunnel(id, signal), [id]);
  useDocumentTitle(campaign.data ? `效果漏斗 - ${campaign.data.name}` : '效果漏斗');
  const [exporting, setExporting] = useState(false);
  const option = useMemo(() => (funnel.data ? funnelOption(funnel.data) : null), [funnel.data]);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      const name = await downloadExport(funnelExportPath(id), `效果漏斗-${campaign.data?.name ?? id}.xlsx`);
      message.success(`已导出 ${name}`);
    } catch (error) {
      message.error(toApiError(error).message);
    } finally {
      setExporting(false);
    }
  };

  const failures = Object.entries(funnel.data?.failed ?? {})
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, count]) => ({ reason, label: deliveryReasonLabel(reason), count }));
  const failedTotal = failures.reduce((sum, row) => sum + row.count, 0);
  const data = funnel.data;
  const nothingYet = data ? funnelSteps.every((step) => data[step.key] === 0) : false;

  return (
    <div id="funnel-page">
      <PageHeading
        area="营销"
        title={`效果漏斗 · ${campaign.data?.name ?? '营销方案'}`}
        extra={
          <>
            <Link to="/marketing/campaigns">返回营销方案</Link>
            <Link to={`/marketing/campaigns/${encodeURIComponent(id)}/share-tree`}>
              <Button icon={<ApartmentOutlined />}>传播路径</Button>
            </Link>
            <Button icon={<ReloadOutlined />} onClick={funnel.reload}>
              刷新
            </Button>
            <Button id="funnel-export" type="primary" icon={<DownloadOutlined />} loading={exporting} disabled={!funnel.data} onClick={exportXlsx}>
              导出 Excel
            </Button>
          </>
        }
      />
      <ErrorAlert error={campaign.error} onRetry={campaign.reload} title="营销方案加载失败" />
      <ErrorAlert error={funnel.error} onRetry={funnel.reload} title="效果数据加载失败" />
      {funnel.loading && !funnel.data ? (
        <Flex justify="center" style={{ padding: 80 }}>
          <Spin size="large" />
        </Flex>
      ) : funnel.data && option ? (
        <Row gutter={16}>
          <Col xs={24} lg={13}>
            <Card title="转化漏斗" style={{ marginBottom: 16 }}>
              {nothingYet ? (
                <Empty description="方案尚未发送，暂无效果数据" />
              ) : (
                <EChart id="funnel-chart" option={option} height={380} />
              )}
            </Card>
          </Col>
          <Col xs={24} lg={11}>
            <Card title="各环节人数" style={{ marginBottom: 16 }}>
              <Table<StepRow>
                id="funnel-figures"
                size="small"
                pagination={false}
                dataSource={stepRows(funnel.data)}
                columns={[
                  {
                    title: '环节',
                    dataIndex: 'label',
                    render: (label: string, row) => (
                      <span title={row.hint}>
                        {label}
                        <div>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {row.hint}
                          </Typography.Text>
                        </div>
                      </span>
                    ),
                  },
                  { title: '人数', dataIndex: 'value', align: 'right', width: 80, className: 'funnel-value' },
                  { title: '较上一环节', dataIndex: 'ofPrevious', align: 'right', width: 100 },
                  { title: '占目标', dataIndex: 'ofTargeted', align: 'right', width: 80 },
                ]}
              />
            </Card>
            <Card title={`发送失败原因（共 ${failedTotal} 人）`} style={{ marginBottom: 16 }}>
              <Table
                id="funnel-failures"
                size="small"
                rowKey="reason"
                pagination={false}
                dataSource={failures}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有发送失败" /> }}
                columns={[
                  { title: '原因', dataIndex: 'label' },
                  { title: '人数', dataIndex: 'count', align: 'right', width: 80 },
                  { title: '占目标', key: 'share', align: 'right', width: 80, render: (_, row) => percent(row.count, funnel.data?.targeted ?? 0) },
                ]}
              />
            </Card>
          </Col>
        </Row>
      ) : null}
    </div>
  );
}
