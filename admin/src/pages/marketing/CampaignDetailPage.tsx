import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { App as AntApp, Alert, Button, Card, Col, Descriptions, Flex, Popconfirm, Result, Row, Space, Spin, Typography } from 'antd';
import { ApartmentOutlined, ArrowLeftOutlined, FunnelPlotOutlined, QrcodeOutlined, SendOutlined } from '@ant-design/icons';
import { campaignChannelLabels, type Campaign } from '@qiao/shared';
import { campaignAction, deleteCampaign, getCampaign, testSendCampaign, type CampaignAction } from '../../api/marketing';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { toApiError, useRemote } from '../../lib/useRemote';
import { CampaignFormDrawer } from './CampaignFormDrawer';
import { CampaignProgressCard, useCampaignProgress } from './CampaignProgressCard';
import { CampaignChannelTags, CampaignStatusTag, channelRules } from './CampaignTags';
import { MaterialsPreviewModal } from './MaterialsPreviewModal';

const actionTexts: Record<CampaignAction, { label: string; confirm: string; done: string }> = {
  start: { label: '启动', confirm: '启动后将按所选渠道向客户细分中的联系人发送，已发出的消息无法撤回。确定启动？', done: '方案已启动' },
  pause: { label: '暂停', confirm: '暂停后不再发送新的消息，已发出的不受影响。确定暂停？', done: '方案已暂停' },
  resume: { label: '继续', confirm: '从暂停处继续发送，已发送过的人不会重复收到。确定继续？', done: '方案已继续发送' },
  cancel: { label: '取消', confirm: '取消后剩余的人不再发送，且无法恢复。确定取消方案？', done: '方案已取消' },
};

/** The actions a campaign in its status allows, in button order. */
function actionsOf(campaign: Campaign): CampaignAction[] {
  switch (campaign.status) {
    case 'draft':
      return ['start'];
    case 'scheduled':
      return ['cancel'];
    case 'running':
      return ['pause', 'cancel'];
    case 'paused':
      return ['resume', 'cancel'];
    default:
      return [];
  }
}

function Info({ campaign, onPreview }: { campaign: Campaign; onPreview: () => void }) {
  return (
    <Card title="方案信息" size="small">
      <Descriptions column={2} size="small" id="campaign-info">
        <Descriptions.Item label="素材">
          <Space size={4}>
            {campaign.materialTitle}
            <Button type="link" size="small" icon={<QrcodeOutlined />} onClick={onPreview}>
              扫码预览
            </Button>
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label="客户细分">{campaign.segmentName}</Descriptions.Item>
        <Descriptions.Item label="渠道" span={2}>
          <Flex vertical gap={4}>
            <CampaignChannelTags channels={campaign.channels} />
            {campaign.channels.map((channel) => (
              <Typography.Text key={channel} type="secondary">
                {campaignChannelLabels[channel]}：{channelRules[channel]}
              </Typography.Text>
            ))}
          </Flex>
        </Descriptions.Item>
        <Descriptions.Item label="发送时间">{campaign.scheduledAt ? `定时 ${formatDateTime(campaign.scheduledAt)}` : '手动启动'}</Descriptions.Item>
        <Descriptions.Item label="意向表单">{campaign.intentForm.enabled ? `开启${campaign.intentForm.products.length ? `（${campaign.intentForm.products.join('、')}）` : ''}` : '关闭'}</Descriptions.Item>
        <Descriptions.Item label="创建">{`${campaign.createdBy} ${formatDateTime(campaign.createdAt)}`}</Descriptions.Item>
        <Descriptions.Item label="开始 / 结束">{`${formatDateTime(campaign.startedAt)} / ${formatDateTime(campaign.finishedAt)}`}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** 营销方案详情: test-send, start / pause / resume / cancel, live progress, and the analysis pages. */
export default function CampaignDetailPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const remote = useRemote((signal) => getCampaign(id, signal), [id]);
  const campaign = remote.data;
  useDocumentTitle(campaign ? campaign.name : '营销方案');
  const [busy, setBusy] = useState<CampaignAction | 'test-send' | 'delete' | null>(null);
  const [editing, setEditing] = useState(false);
  const [previewing, setPreviewing] = useState(false);
  const progress = useCampaignProgress(id, campaign?.status, () => remote.reload());

  const act = async (action: CampaignAction) => {
    setBusy(action);
    try {
      remote.setData(await campaignAction(id, action));
      message.success(actionTexts[action].done);
    } catch (error) {
      message.error(toApiError(error).message);
      remote.reload();
    } finally {
      setBusy(null);
    }
  };

  const testSend = async () => {
    setBusy('test-send');
    try {
      await testSendCampaign(id);
      message.success('测试消息已发送到你的微信，请在手机上查看');
    } catch (error) {
      message.error(toApiError(error).message);
    } finally {
      setBusy(null);
    }
  };

  const remove = async () => {
    setBusy('delete');
    try {
      await deleteCampaign(id);
      message.success('已删除方案');
      navigate('/marketing/campaigns');
    } catch (error) {
      message.error(toApiError(error).message);
      setBusy(null);
    }
  };

  if (!campaign) {
    return (
      <div>
        <PageHeading area="营销" title="营销方案" />
        {remote.error ? (
          remote.error.status === 404 ? (
            <Result status="404" title="方案不存在" subTitle="该营销方案不存在或已被删除" extra={<Link to="/marketing/campaigns">返回营销方案</Link>} />
          ) : (
            <ErrorAlert error={remote.error} onRetry={remote.reload} />
          )
        ) : (
          <Flex justify="center" style={{ padding: 64 }}>
            <Spin size="large" />
          </Flex>
        )}
      </div>
    );
  }

  const draft = campaign.status === 'draft';
  return (
    <div id="campaign-detail">
      <PageHeading
        area="营销"
        title={
          <Space>
            <Link to="/marketing/campaigns" aria-label="返回营销方案">
              <ArrowLeftOutlined />
            </Link>
            <span id="campaign-name">{campaign.name}</span>
            <CampaignStatusTag status={campaign.status} id="campaign-status" />
          </Space>
        }
        extra={
          <>
            <Button id="campaign-share-tree-link" icon={<ApartmentOutlined />} onClick={() => navigate(`/marketing/campaigns/${id}/share-tree`)}>
              传播路径
            </Button>
            <Button id="campaign-funnel-link" icon={<FunnelPlotOutlined />} onClick={() => navigate(`/marketing/campaigns/${id}/funnel`)}>
              效果分析
            </Button>
          </>
        }
      />
      {campaign.pauseReason ? <Alert type="warning" showIcon message={`系统已暂停发送：${campaign.pauseReason}`} style={{ marginBottom: 16 }} /> : null}
      <Card size="small" style={{ marginBottom: 16 }}>
        <Flex gap={8} wrap align="center">
          <Button id="campaign-test-send" icon={<SendOutlined />} loading={busy === 'test-send'} disabled={campaign.status === 'cancelled'} onClick={() => void testSend()}>
            测试发送
          </Button>
          {actionsOf(campaign).map((action) => (
            <Popconfirm
              key={action}
              title={`${actionTexts[action].label}方案`}
              description={<div style={{ maxWidth: 320 }}>{action === 'start' && campaign.scheduledAt ? `方案将在 ${formatDateTime(campaign.scheduledAt)} 自动开始发送。确定启动？` : actionTexts[action].confirm}</div>}
              okText={actionTexts[action].label}
              cancelText="再想想"
              okButtonProps={{ id: `campaign-${action}-confirm`, danger: action === 'cancel' }}
              onConfirm={() => act(action)}
            >
              <Button id={`campaign-${action}`} type={action === 'start' || action === 'resume' ? 'primary' : 'default'} danger={action === 'cancel'} loading={busy === action}>
                {actionTexts[action].label}
              </Button>
            </Popconfirm>
          ))}
          {draft ? (
            <>
              <Button id="campaign-edit" onClick={() => setEditing(true)}>
                编辑
              </Button>
              <Popconfirm title="删除方案" description="删除后无法恢复。确定删除？" okText="删除" okButtonProps={{ danger: true }} onConfirm={() => remove()}>
                <Button danger loading={busy === 'delete'}>
                  删除
                </Button>
              </Popconfirm>
            </>
          ) : null}
          <Typography.Text type="secondary">测试发送会把与正式发送完全相同的消息发到你绑定的微信。</Typography.Text>
        </Flex>
      </Card>
      <Row gutter={16}>
        <Col xs={24} xl={12} style={{ marginBottom: 16 }}>
          <Info campaign={campaign} onPreview={() => setPreviewing(true)} />
        </Col>
        <Col xs={24} xl={12}>
          <CampaignProgressCard progress={progress.progress} error={progress.error} onRetry={progress.reload} />
        </Col>
      </Row>
      <CampaignFormDrawer
        open={editing}
        campaign={campaign}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          setEditing(false);
          remote.setData(saved);
          message.success('已保存方案');
        }}
      />
      <MaterialsPreviewModal material={previewing ? { id: campaign.materialId, title: campaign.materialTitle } : null} onClose={() => setPreviewing(false)} />
    </div>
  );
}
