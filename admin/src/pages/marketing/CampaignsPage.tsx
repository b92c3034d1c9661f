import { Link, useNavigate } from 'react-router-dom';
import { App as AntApp, Progress, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { campaignStatusLabels, campaignStatuses, type Campaign, type CampaignChannel, type CampaignStatus } from '@qiao/shared';
import { listCampaigns } from '../../api/marketing';
import { FilterSelect, oneOf } from '../../components/ListFilters';
import { ListPage } from '../../components/ListPage';
import { formatDateTime, formatShortDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useEditing } from '../../lib/useEditing';
import { useListParams } from '../../lib/useListParams';
import { useRemote } from '../../lib/useRemote';
import { CampaignFormDrawer } from './CampaignFormDrawer';
import { percentDone, useCampaignProgress } from './CampaignProgressCard';
import { CampaignChannelTags, CampaignStatusTag } from './CampaignTags';

const statusOptions = campaignStatuses.map((value) => ({ value, label: campaignStatusLabels[value] }));

/** A row's progress: read once, and every 2 s while the campaign runs; a new status reloads the list. */
function RowProgress({ campaign, onStatus }: { campaign: Campaign; onStatus: () => void }) {
  const { progress, error } = useCampaignProgress(campaign.id, campaign.status, onStatus);
  if (error && !progress) return <Typography.Text type="secondary">—</Typography.Text>;
  if (!progress) return <Progress percent={0} size="small" showInfo={false} status="normal" />;
  const failed = Object.values(progress.failed).reduce((total, value) => total + value, 0);
  return (
    <div title={`已发送 ${progress.sent} · 失败 ${failed} · 剩余 ${progress.remaining}`}>
      <Progress percent={percentDone(progress)} size="small" status={progress.status === 'running' ? 'active' : progress.status === 'cancelled' ? 'exception' : undefined} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {progress.sent} / {progress.targeted} 人
      </Typography.Text>
    </div>
  );
}

/** 营销方案: every campaign with its status, channels and progress; the detail page runs it. */
export default function CampaignsPage() {
  useDocumentTitle('营销方案');
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const params = useListParams(['status'] as const);
  const { page, pageSize, q, filters, update } = params;
  const status = oneOf(campaignStatuses, filters.status);
  const editing = useEditing<Campaign>();

  const list = useRemote((signal) => listCampaigns({ page, pageSize, q: q || undefined, status }, signal), [page, pageSize, q, status]);

  const columns: TableColumnsType<Campaign> = [
    {
      title: '方案',
      dataIndex: 'name',
      render: (_, row) => (
        <div>
          <Link to={`/marketing/campaigns/${row.id}`} className="campaign-link">
            {row.name}
          </Link>
          <div>
            <Typography.Text type="secondary">
              {row.materialTitle} → {row.segmentName}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    { title: '状态', dataIndex: 'status', width: 90, render: (value: CampaignStatus) => <CampaignStatusTag status={value} /> },
    { title: '渠道', dataIndex: 'channels', width: 170, render: (value: CampaignChannel[]) => <CampaignChannelTags channels={value} /> },
    {
      title: '进度',
      key: 'progress',
      width: 170,
      render: (_, row) => (row.status === 'draft' ? <Typography.Text type="secondary">未启动</Typography.Text> : <RowProgress campaign={row} onStatus={list.reload} />),
    },
    {
      title: '发送时间',
      key: 'time',
      width: 130,
      render: (_, row) => {
        const at = row.startedAt ?? row.scheduledAt;
        return (
          <div title={formatDateTime(at)}>
            {at ? formatShortDateTime(at) : '—'}
            {!row.startedAt && row.scheduledAt ? (
              <div>
                <Typography.Text type="secondary">定时</Typography.Text>
              </div>
            ) : null}
          </div>
        );
      },
    },
    {
      title: '创建',
      dataIndex: 'createdAt',
      width: 130,
      render: (value: string, row) => (
        <div title={formatDateTime(value)}>
          <div>{formatShortDateTime(value)}</div>
          <Typography.Text type="secondary">{row.createdBy}</Typography.Text>
        </div>
      ),
    },
  ];

  return (
    <ListPage<Campaign>
      area="营销"
      title="营销方案"
      create={{ id: 'campaign-create', label: '新建营销方案', onClick: editing.create }}
      params={params}
      search={{ id: 'campaign-search', placeholder: '方案名称', width: 240 }}
      filters={<FilterSelect id="campaign-status-filter" placeholder="状态" width={120} options={statusOptions} value={status} onChange={(value) => update({ status: value ?? '' })} />}
      table={{ id: 'campaign-table', columns, list, scroll: { x: 'max-content' }, unit: '个' }}
      empty={{ filtered: Boolean(q || status), text: '暂无营销方案，选择素材和客户细分即可创建' }}
    >
      <CampaignFormDrawer
        open={editing.open}
        campaign={editing.record}
        onClose={editing.close}
        onSaved={(saved) => {
          editing.close();
          message.success(`已创建方案 ${saved.name}，测试发送无误后即可启动`);
          navigate(`/marketing/campaigns/${saved.id}`);
        }}
      />
    </ListPage>
  );
}
