// 归属记录: who owned the customer when, and why it changed (for the customer 360 view).
import { Alert, Empty, Spin, Timeline, Typography } from 'antd';
import { ownershipEventLabels, type OwnershipEvent } from '@qiao/shared';
import { getOwnershipHistory } from '../../api/pool';
import { formatDateTime } from '../../lib/format';
import { useRemote } from '../../lib/useRemote';

function describe(event: OwnershipEvent): string {
  const from = event.fromOwnerName ?? '公海';
  const to = event.toOwnerName ?? '公海';
  return `${from} → ${to}`;
}

export function CustomerOwnershipHistory({ customerId, version = 0 }: { customerId: string; version?: number }) {
  const history = useRemote((signal) => getOwnershipHistory(customerId, signal), [customerId, version]);
  if (history.error) return <Alert type="error" showIcon message={`归属记录加载失败：${history.error.message}`} />;
  if (!history.data) return <Spin />;
  if (history.data.length === 0) return <Empty description="暂无归属变更记录" />;
  return (
    <div id="customer-ownership-history">
      <Timeline
        items={history.data.map((event) => ({
          key: event.id,
          children: (
            <div>
              <Typography.Text strong>{ownershipEventLabels[event.kind]}</Typography.Text> <Typography.Text>{describe(event)}</Typography.Text>
              <div>
                <Typography.Text type="secondary">
                  {formatDateTime(event.at)} · {event.byStaffName ?? '系统自动'}
                  {event.reason ? ` · ${event.reason}` : ''}
                </Typography.Text>
              </div>
            </div>
          ),
        }))}
      />
    </div>
  );
}
