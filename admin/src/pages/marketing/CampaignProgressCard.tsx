// Live progress of a campaign's distribution: GET /campaigns/:id/progress, polled while it runs.
import { useEffect, useState } from 'react';
import { Card, Col, Descriptions, Empty, Progress, Row, Spin, Statistic, Typography } from 'antd';
import { deliveryReasonLabels, type CampaignProgress, type CampaignStatus, type DeliveryReason } from '@qiao/shared';
import type { ApiError } from '../../api/client';
import { getCampaignProgress } from '../../api/marketing';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime } from '../../lib/format';
import { toApiError } from '../../lib/useRemote';

/** Statuses whose figures still move: polled. */
const LIVE: readonly CampaignStatus[] = ['running', 'scheduled'];
const POLL_MS = 2000;

export function reasonLabel(reason: string): string {
  return deliveryReasonLabels[reason as DeliveryReason] ?? reason;
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((total, value) => total + value, 0);
}

/** Done out of targeted, in percent; a finished campaign is at 100 whatever was left. */
export function percentDone(progress: CampaignProgress): number {
  if (progress.status === 'completed') return 100;
  if (progress.targeted <= 0) return 0;
  const done = progress.sent + sum(progress.failed) + sum(progress.skipped);
  return Math.min(100, Math.floor((done * 100) / progress.targeted));
}

/**
 * The progress of a campaign, read again every 2 s while it runs (or waits for its time).
 * `onStatus` hears a status change (e.g. completed) so the page can reload the campaign.
 */
export function useCampaignProgress(id: string, status: CampaignStatus | undefined, onStatus?: (status: CampaignStatus) => void) {
  const [progress, setProgress] = useState<CampaignProgress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!status) return;
    const controller = new AbortController();
    let timer: number | undefined;
    const load = async () => {
      try {
        const next = await getCampaignProgress(id, controller.signal);
        if (controller.signal.aborted) return;
        setProgress(next);
        setError(null);
        if (next.status !== status) onStatus?.(next.status);
        if (LIVE.includes(next.status)) timer = window.setTimeout(() => void load(), POLL_MS);
      } catch (failure) {
        if (controller.signal.aborted) return;
        setError(toApiError(failure));
        // A blip while running: keep trying at the same pace.
        if (LIVE.includes(status)) timer = window.setTimeout(() => void load(), POLL_MS);
      }
    };
    void load();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
    // onStatus is a fresh closure each render; the campaign's status says when to start over.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, status, version]);

  return { progress, error, reload: () => setVersion((value) => value + 1) };
}

function ReasonList({ title, counts, id }: { title: string; counts: Record<string, number>; id: string }) {
  const entries = Object.entries(counts).filter(([, count]) => count > 0);
  return (
    <div id={id}>
      <Typography.Text strong>{title}</Typography.Text>
      {entries.length === 0 ? (
        <div>
          <Typography.Text type="secondary">无</Typography.Text>
        </div>
      ) : (
        <Descriptions size="small" column={1} bordered style={{ marginTop: 8 }}>
          {entries.map(([reason, count]) => (
            <Descriptions.Item key={reason} label={reasonLabel(reason)}>
              <span data-reason={reason}>{count}</span>
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </div>
  );
}

/** 发送进度: a bar that reaches 100%, sent / failed / skipped / remaining, and why. */
export function CampaignProgressCard({ progress, error, onRetry }: { progress: CampaignProgress | null; error: ApiError | null; onRetry: () => void }) {
  if (!progress) {
    return (
      <Card title="发送进度" size="small">
        <ErrorAlert error={error} onRetry={onRetry} />
        {error ? null : (
          <div style={{ padding: 24, textAlign: 'center' }}>
            <Spin />
          </div>
        )}
      </Card>
    );
  }
  const percent = percentDone(progress);
  const failed = sum(progress.failed);
  const skipped = sum(progress.skipped);
  const live = LIVE.includes(progress.status);
  return (
    <Card title="发送进度" size="small" id="campaign-progress" extra={live ? <Typography.Text type="secondary">每 2 秒刷新</Typography.Text> : null}>
      <ErrorAlert error={error} onRetry={onRetry} title="进度刷新失败" />
      {progress.status === 'draft' ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="方案尚未启动" />
      ) : (
        <>
          <Progress
            className="campaign-progress-bar"
            percent={percent}
            status={progress.status === 'running' ? 'active' : progress.status === 'cancelled' ? 'exception' : undefined}
            format={(value) => <span id="campaign-progress-percent">{value}%</span>}
          />
          <Row gutter={16} style={{ margin: '16px 0' }}>
            <Col span={5}>
              <Statistic title="目标人数" value={progress.targeted} className="campaign-progress-targeted" />
            </Col>
            <Col span={5}>
              <Statistic title="已发送" value={progress.sent} valueStyle={{ color: '#52c41a' }} className="campaign-progress-sent" />
            </Col>
            <Col span={5}>
              <Statistic title="失败" value={failed} valueStyle={failed ? { color: '#ff4d4f' } : undefined} className="campaign-progress-failed" />
            </Col>
            <Col span={4}>
              <Statistic title="跳过" value={skipped} className="campaign-progress-skipped" />
            </Col>
            <Col span={5}>
              <Statistic title="剩余" value={progress.remaining} className="campaign-progress-remaining" />
            </Col>
          </Row>
          <Row gutter={16}>
            <Col span={12}>
              <ReasonList title="失败原因" counts={progress.failed} id="campaign-progress-failed-reasons" />
            </Col>
            <Col span={12}>
              <ReasonList title="跳过原因" counts={progress.skipped} id="campaign-progress-skipped-reasons" />
            </Col>
          </Row>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            发送速率 {progress.ratePerSecond} 条/秒 · 开始于 {formatDateTime(progress.startedAt)}
            {progress.finishedAt ? ` · 结束于 ${formatDateTime(progress.finishedAt)}` : ''}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
