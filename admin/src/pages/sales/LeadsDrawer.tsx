// A lead in detail: who, what they want, the campaign and the share path that brought them.
import { Link } from 'react-router-dom';
import { App as AntApp, Button, Descriptions, Drawer, Flex, Select, Space, Spin, Steps, Tag, Typography } from 'antd';
import { leadStatusLabels, type Lead, type LeadStatus } from '@qiao/shared';
import { getLead, setLeadStatus } from '../../api/spread';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime, orDash } from '../../lib/format';
import { toApiError, useRemote } from '../../lib/useRemote';
import { kindColors, kindLabels } from '../marketing/ShareTreeChart';
import { FollowRecordsSection } from './FollowRecords';
import { LeadSourceTag, LeadStatusTag, manualStatuses } from './LeadsTags';

export interface LeadsDrawerProps {
  leadId: string | null;
  canAssign: boolean;
  /** Links to the campaign's share tree and funnel. */
  canReadCampaigns: boolean;
  canChangeStatus: (lead: Lead) => boolean;
  onAssign: (lead: Lead) => void;
  onChanged: (lead: Lead) => void;
  onClose: () => void;
  /** Bumped by the page after an action elsewhere (e.g. the assign dialog) to reload. */
  version: number;
}

export function SharePath({ lead }: { lead: Lead }) {
  if (lead.sharePath.length === 0) return <Typography.Text type="secondary">直接访问（无转发路径）</Typography.Text>;
  return (
    <div id="lead-share-path">
      <Steps
        size="small"
        direction="vertical"
        current={lead.sharePath.length - 1}
        items={lead.sharePath.map((step, index) => ({
          title: step.name.trim() || '匿名访客',
          description: (
            <Space size={4}>
              <Tag color={kindColors[step.kind]}>{kindLabels[step.kind] ?? step.kind}</Tag>
              {index === 0 ? '收到方案' : index === lead.sharePath.length - 1 ? '提交意向' : '转发'}
            </Space>
          ),
        }))}
      />
      <Typography.Text className="lead-share-path-text" type="secondary">
        {lead.sharePath.map((step) => step.name.trim() || '匿名访客').join(' → ')}
      </Typography.Text>
    </div>
  );
}

export function LeadsDrawer({ leadId, canAssign, canReadCampaigns, canChangeStatus, onAssign, onChanged, onClose, version }: LeadsDrawerProps) {
  const { message } = AntApp.useApp();
  const lead = useRemote((signal) => (leadId ? getLead(leadId, signal) : Promise.resolve(null)), [leadId, version]);
  const data = lead.data && lead.data.id === leadId ? lead.data : null;

  const changeStatus = async (status: LeadStatus) => {
    if (!data) return;
    try {
      const saved = await setLeadStatus(data.id, status);
      lead.setData(saved);
      onChanged(saved);
      message.success(`线索已标记为${leadStatusLabels[status]}`);
    } catch (error) {
      message.error(toApiError(error).message);
    }
  };

  return (
    <Drawer open={Boolean(leadId)} onClose={onClose} width={560} title="线索详情" destroyOnHidden rootClassName="lead-drawer">
      <ErrorAlert error={lead.error} onRetry={lead.reload} title="线索加载失败" />
      {!data ? (
        lead.loading ? (
          <Flex justify="center" style={{ padding: 48 }}>
            <Spin />
          </Flex>
        ) : null
      ) : (
        <Flex vertical gap={20}>
          <Flex justify="space-between" align="center" wrap gap={8}>
            <Space>
              <Typography.Title level={5} style={{ margin: 0 }}>
                {data.company || data.name}
              </Typography.Title>
              <LeadStatusTag status={data.status} />
            </Space>
            <Space>
              {canAssign && data.status !== 'converted' && data.status !== 'closed' ? (
                <Button id="lead-drawer-assign" onClick={() => onAssign(data)}>
                  {data.ownerId ? '改派' : '分配'}
                </Button>
              ) : null}
              {canChangeStatus(data) ? (
                <Select<LeadStatus>
                  id="lead-drawer-status"
                  placeholder="更改状态"
                  style={{ width: 120 }}
                  value={null}
                  options={manualStatuses
                    // Following up and converting need a salesperson; closing does not.
                    .filter((status) => status !== data.status && (data.ownerId || status === 'closed'))
                    .map((status) => ({ value: status, label: leadStatusLabels[status] }))}
                  onChange={(status) => void changeStatus(status)}
                />
              ) : null}
            </Space>
          </Flex>
          <Descriptions size="small" column={2} bordered>
            <Descriptions.Item label="联系人">{orDash(data.name)}</Descriptions.Item>
            <Descriptions.Item label="手机号">{orDash(data.phone)}</Descriptions.Item>
            <Descriptions.Item label="公司">{orDash(data.company)}</Descriptions.Item>
            <Descriptions.Item label="邮箱">{orDash(data.email)}</Descriptions.Item>
            <Descriptions.Item label="地区">{orDash(data.region)}</Descriptions.Item>
            <Descriptions.Item label="行业">{orDash(data.industry)}</Descriptions.Item>
            <Descriptions.Item label="意向产品" span={2}>
              {data.products.length ? data.products.map((product) => <Tag key={product}>{product}</Tag>) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="来源">
              <LeadSourceTag source={data.source} />
            </Descriptions.Item>
            <Descriptions.Item label="负责销售">{data.ownerName ?? <Typography.Text type="secondary">未分配</Typography.Text>}</Descriptions.Item>
            <Descriptions.Item label="创建时间" span={2}>
              {formatDateTime(data.createdAt)}
            </Descriptions.Item>
            <Descriptions.Item label="备注" span={2}>
              {orDash(data.notes)}
            </Descriptions.Item>
          </Descriptions>
          {data.campaignId ? (
            <div>
              <Typography.Title level={5}>营销方案</Typography.Title>
              <Space wrap>
                <Typography.Text id="lead-campaign">{data.campaignName ?? '—'}</Typography.Text>
                {canReadCampaigns ? (
                  <>
                    <Link to={`/marketing/campaigns/${encodeURIComponent(data.campaignId)}/share-tree`}>传播路径</Link>
                    <Link to={`/marketing/campaigns/${encodeURIComponent(data.campaignId)}/funnel`}>效果漏斗</Link>
                  </>
                ) : null}
              </Space>
              <Typography.Title level={5} style={{ marginTop: 16 }}>
                传播路径（线索计入路径上的每个人）
              </Typography.Title>
              <SharePath lead={data} />
            </div>
          ) : null}
          <FollowRecordsSection target="lead" id={data.id} closed={data.status === 'closed' || data.status === 'converted'} />
        </Flex>
      )}
    </Drawer>
  );
}
