// 报表: the reports the role may see in a side list; period, department and granularity filters;
// the figures, each table with its chart, the dispatch calendar as a grid; 导出 Excel.
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, App as AntApp, Button, Card, Col, Empty, Flex, Menu, Row, Segmented, Spin, Statistic, Typography } from 'antd';
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  reportGranularities,
  reportGranularityLabels,
  reportsForRole,
  reportTitles,
  salesReportNames,
  serviceReportNames,
  type ReportGranularity,
  type ReportName,
} from '@qiao/shared';
import { downloadExport } from '../../api/spread';
import { getReport, reportExportPath, type ReportParams } from '../../api/reports';
import { useSession } from '../../auth/useSession';
import { DepartmentSelect } from '../../components/DepartmentSelect';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ListFilters } from '../../components/ListFilters';
import { PageHeading } from '../../components/PageHeading';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { toApiError, useRemote } from '../../lib/useRemote';
import { DispatchCalendarGrid } from './DispatchCalendarGrid';
import { ReportPeriodPicker, defaultPeriod } from './ReportPeriod';
import { ReportTableCard } from './ReportTableCard';
import { formatCell } from './reportFormat';

const SCOPE_NOTES = { all: '', own: '仅统计您负责或协作的记录', campaign: '仅统计营销方案带来的线索' } as const;

export default function ReportsPage() {
  useDocumentTitle('报表');
  const { message } = AntApp.useApp();
  const role = useSession()?.user.role ?? 'engineer';
  const available = useMemo(() => reportsForRole(role), [role]);
  const [search, setSearch] = useSearchParams();
  const asked = search.get('name');
  const name: ReportName | undefined = available.find((n) => n === asked) ?? available[0];
  const fallback = defaultPeriod();
  const params: ReportParams = {
    from: search.get('from') ?? fallback.from,
    to: search.get('to') ?? fallback.to,
    department: search.get('department') ?? undefined,
    granularity: (reportGranularities as readonly string[]).includes(search.get('granularity') ?? '') ? (search.get('granularity') as ReportGranularity) : 'day',
  };
  const report = useRemote((signal) => (name ? getReport(name, params, signal) : Promise.resolve(undefined)), [name, params.from, params.to, params.department, params.granularity]);
  const [exporting, setExporting] = useState(false);

  const setParams = (patch: Record<string, string | undefined>) => {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(patch)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setSearch(next);
  };

  const exportXlsx = async () => {
    if (!name) return;
    setExporting(true);
    try {
      const file = await downloadExport(reportExportPath(name, params), `${reportTitles[name]}-${params.from}-${params.to}.xlsx`);
      message.success(`已导出 ${file}`);
    } catch (error) {
      message.error(toApiError(error).message);
    } finally {
      setExporting(false);
    }
  };

  if (!name) {
    return (
      <Card>
        <Empty description="您的角色没有可查看的报表" />
      </Card>
    );
  }

  const group = (title: string, names: readonly ReportName[]) => {
    const mine = names.filter((n) => available.includes(n));
    return mine.length ? [{ type: 'group' as const, key: title, label: title, children: mine.map((n) => ({ key: n, label: <span id={`report-${n}`}>{reportTitles[n]}</span> })) }] : [];
  };
  const data = report.data;
  const isCalendar = name === 'dispatch-calendar';

  return (
    <div id="reports-page">
      <PageHeading
        area="报表"
        title={reportTitles[name]}
        extra={
          <Button id="report-export" type="primary" icon={<DownloadOutlined />} loading={exporting} disabled={!data || report.loading} onClick={exportXlsx}>
            导出 Excel
          </Button>
        }
      />
      <Row gutter={16} wrap={false}>
        <Col flex="200px">
          <Card size="small" styles={{ body: { padding: 4 } }}>
            <Menu
              id="report-list"
              mode="inline"
              selectedKeys={[name]}
              style={{ borderInlineEnd: 'none' }}
              items={[...group('服务', serviceReportNames), ...group('销售', salesReportNames)]}
              onClick={({ key }) => setParams({ name: key })}
            />
          </Card>
        </Col>
        <Col flex="auto" style={{ minWidth: 0 }}>
          <Card size="small" style={{ marginBottom: 16 }}>
            <ListFilters>
              <ReportPeriodPicker from={params.from} to={params.to} onChange={(from, to) => setParams({ from, to })} />
              <div style={{ minWidth: 200 }}>
                <DepartmentSelect id="report-department" value={params.department} placeholder="全部部门（我的范围）" onChange={(value) => setParams({ department: value || undefined })} />
              </div>
              {isCalendar ? null : (
                <Segmented
                  id="report-granularity"
                  value={params.granularity}
                  options={reportGranularities.map((g) => ({ value: g, label: reportGranularityLabels[g] }))}
                  onChange={(value) => setParams({ granularity: value === 'day' ? undefined : String(value) })}
                />
              )}
              <Button icon={<ReloadOutlined />} onClick={report.reload}>
                刷新
              </Button>
            </ListFilters>
            {data && SCOPE_NOTES[data.scope] ? <Alert type="info" showIcon message={SCOPE_NOTES[data.scope]} style={{ marginBottom: 12 }} /> : null}
            <ErrorAlert error={report.error} onRetry={report.reload} title="报表加载失败" />
            {data ? (
              <Flex id="report-figures" wrap gap={12}>
                {data.figures.map((f) => (
                  <Card key={f.key} id={`report-figure-${f.key}`} size="small" style={{ minWidth: 140 }}>
                    <Statistic title={f.label} value={formatCell(f.kind, f.value)} />
                  </Card>
                ))}
              </Flex>
            ) : report.loading ? (
              <Flex justify="center" style={{ padding: 24 }}>
                <Spin />
              </Flex>
            ) : null}
          </Card>
          <div id={`report-${name}-body`}>
            {data && data.name === name ? (
              isCalendar && data.calendar ? (
                <Card size="small" title={`派工日历 ${data.period.from} 至 ${data.period.to}`}>
                  <Typography.Paragraph type="secondary">按派工时间排列，每格显示前 3 单及其余单数；悬停查看期望上门时间。最多显示 31 天。</Typography.Paragraph>
                  <DispatchCalendarGrid calendar={data.calendar} loading={report.loading} />
                </Card>
              ) : (
                data.tables.map((table) => <ReportTableCard key={table.key} reportName={name} table={table} loading={report.loading} />)
              )
            ) : null}
          </div>
        </Col>
      </Row>
    </div>
  );
}
