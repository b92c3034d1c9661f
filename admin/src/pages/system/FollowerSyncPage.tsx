import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Descriptions, Progress, Space, Tag, Typography } from 'antd';
import { followerSyncStateLabels, type FollowerSyncState } from '@qiao/shared';
import { getFollowerSync, startFollowerSync } from '../../api/official-account';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { toApiError, useRemote } from '../../lib/useRemote';

const stateColors: Record<FollowerSyncState, string> = { never: 'default', queued: 'blue', running: 'processing', done: 'success', failed: 'error' };
/** While a run is queued or going, the page reads its progress again this often. */
const REFRESH_MS = 3000;

/**
 * 粉丝同步: followers who followed before Qiao was connected are only known by reading them from
 * WeChat (user/get + user/info/batchget). Runs on the first start and nightly; this page shows how
 * far it got and starts a run now.
 */
export default function FollowerSyncPage() {
  useDocumentTitle('粉丝同步');
  const { message } = AntApp.useApp();
  const sync = useRemote((signal) => getFollowerSync(signal), []);
  const [starting, setStarting] = useState(false);
  const status = sync.data;
  const active = status?.status === 'queued' || status?.status === 'running';

  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => sync.reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, sync.reload]);

  async function start(): Promise<void> {
    setStarting(true);
    try {
      sync.setData(await startFollowerSync());
      message.success('已开始同步');
    } catch (error) {
      message.error(toApiError(error).message);
    } finally {
      setStarting(false);
    }
  }

  const percent = status && status.total > 0 ? Math.min(100, Math.round((status.fetched / status.total) * 100)) : 0;
  return (
    <div id='follower-sync-page'>
      <PageHeading
        area='系统'
        title='粉丝同步'
        extra={
          <Button id='follower-sync-start' type='primary' loading={starting} disabled={active} onClick={() => void start()}>
            立即同步
          </Button>
        }
      />
      <Typography.Paragraph type='secondary'>
        从微信读取公众号的全部粉丝，建立或关联微信用户（按 UnionID 与小程序身份合并）。首次接入真实公众号时自动执行，之后每晚执行一次。
      </Typography.Paragraph>
      {sync.error ? <ErrorAlert error={sync.error} /> : null}
      <Card loading={sync.loading && !status}>
        {status ? (
          <Space direction='vertical' style={{ width: '100%' }}>
            <Descriptions column={2} size='small'>
              <Descriptions.Item label='状态'>
                <Tag id='follower-sync-state' color={stateColors[status.status]}>{followerSyncStateLabels[status.status]}</Tag>
              </Descriptions.Item>
              <Descriptions.Item label='粉丝总数'>{status.total}</Descriptions.Item>
              <Descriptions.Item label='已读取'>{status.fetched}</Descriptions.Item>
              <Descriptions.Item label='新建用户'>{status.created}</Descriptions.Item>
              <Descriptions.Item label='关联 UnionID'>{status.linked}</Descriptions.Item>
              <Descriptions.Item label='恢复关注'>{status.updated}</Descriptions.Item>
              <Descriptions.Item label='开始时间'>{status.startedAt ? formatDateTime(status.startedAt) : '—'}</Descriptions.Item>
              <Descriptions.Item label='完成时间'>{status.finishedAt ? formatDateTime(status.finishedAt) : '—'}</Descriptions.Item>
            </Descriptions>
            {status.total > 0 ? <Progress percent={percent} status={status.status === 'failed' ? 'exception' : active ? 'active' : undefined} /> : null}
            {status.lastError ? (
              <Alert
                type='error'
                showIcon
                message='上次同步出错'
                description={`${status.lastErrorAt ? `${formatDateTime(status.lastErrorAt)}：` : ''}${status.lastError}（下次运行会从中断处继续）`}
              />
            ) : null}
          </Space>
        ) : null}
      </Card>
    </div>
  );
}
