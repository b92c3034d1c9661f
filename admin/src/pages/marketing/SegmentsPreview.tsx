// The live count of a segment: POST /segments/preview as the rules change (debounced), with
// WeChat reach and a sample of the contacts.
import { useEffect, useState } from 'react';
import { Alert, Card, Col, Empty, Row, Spin, Statistic, Table, Tag, Typography } from 'antd';
import type { SegmentPreview, SegmentRules } from '@qiao/shared';
import type { ApiError } from '../../api/client';
import { previewSegment } from '../../api/marketing';
import { toApiError } from '../../lib/useRemote';

export interface PreviewState {
  data: SegmentPreview | null;
  error: ApiError | null;
  loading: boolean;
}

/**
 * The preview of `rules`, asked `delayMs` after they last changed (an earlier request still
 * running is aborted). null rules (invalid) ask nothing.
 */
export function useSegmentPreview(rules: SegmentRules | null, delayMs = 400): PreviewState {
  const key = rules ? JSON.stringify(rules) : null;
  const [state, setState] = useState<PreviewState>({ data: null, error: null, loading: key !== null });

  useEffect(() => {
    if (key === null) {
      setState((previous) => ({ ...previous, loading: false }));
      return;
    }
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    const timer = window.setTimeout(() => {
      previewSegment(JSON.parse(key) as SegmentRules, controller.signal).then(
        (data) => {
          if (!controller.signal.aborted) setState({ data, error: null, loading: false });
        },
        (error: unknown) => {
          if (!controller.signal.aborted) setState((previous) => ({ ...previous, error: toApiError(error), loading: false }));
        },
      );
    }, delayMs);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [key, delayMs]);
  return state;
}

/** The four figures: matching contacts, followers, still under the monthly mass quota, in the 48-hour window. */
export function SegmentsFigures({ preview, compact = false }: { preview: SegmentPreview; compact?: boolean }) {
  const span = compact ? 6 : 12;
  return (
    <Row gutter={[16, 16]} id="segment-figures">
      <Col span={span}>
        <Statistic title="匹配联系人" value={preview.count} suffix="人" valueStyle={{ color: '#1677ff' }} className="segment-count" />
      </Col>
      <Col span={span}>
        <Statistic title="已关注公众号" value={preview.following} suffix="人" />
      </Col>
      <Col span={span}>
        <Statistic title="本月还可群发" value={preview.massQuotaLeft} suffix="人" />
      </Col>
      <Col span={span}>
        <Statistic title="48 小时互动窗口内" value={preview.inServiceWindow} suffix="人" />
      </Col>
    </Row>
  );
}

/** The editor's side panel: live figures and up to ten sample contacts. */
export function SegmentsPreviewPanel({ rules, invalidReason }: { rules: SegmentRules | null; invalidReason?: string }) {
  const { data, error, loading } = useSegmentPreview(rules);
  return (
    <Card size="small" title="实时预览" id="segment-preview" extra={loading ? <Spin size="small" /> : null}>
      {invalidReason ? <Alert type="warning" showIcon message={invalidReason} style={{ marginBottom: 12 }} /> : null}
      {error ? <Alert type="error" showIcon message="人数计算失败" description={error.message} style={{ marginBottom: 12 }} /> : null}
      {data ? (
        <>
          <SegmentsFigures preview={data} />
          <Typography.Paragraph type="secondary" style={{ margin: '12px 0 8px' }}>
            服务号粉丝每月最多收到 4 次群发；客服消息只能发给 48 小时内与公众号互动过的人。
          </Typography.Paragraph>
          <Table
            id="segment-sample"
            size="small"
            rowKey="contactId"
            pagination={false}
            dataSource={data.sample}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的联系人" /> }}
            columns={[
              { title: '联系人', dataIndex: 'name' },
              { title: '客户', dataIndex: 'customerName', ellipsis: true },
              { title: '地区', dataIndex: 'region', width: 70 },
              { title: '关注', dataIndex: 'following', width: 70, render: (value: boolean) => (value ? <Tag color="green">已关注</Tag> : <Tag>未关注</Tag>) },
            ]}
          />
          {data.count > data.sample.length ? (
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
              仅显示前 {data.sample.length} 人
            </Typography.Text>
          ) : null}
        </>
      ) : loading ? (
        <div style={{ padding: 32, textAlign: 'center' }}>
          <Spin tip="正在计算人数…">
            <div style={{ width: 120 }} />
          </Spin>
        </div>
      ) : error ? null : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="设置条件后显示人数" />
      )}
    </Card>
  );
}
