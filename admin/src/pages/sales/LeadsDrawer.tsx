// A lead in detail: who, what they want, the campaign and the share path that brought them; edit,
// 查重 (the duplicate check on demand), collaborators. Conversion, closing and follow-up records
// add their buttons to `#lead-drawer-actions` and their sections below.
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { App as AntApp, Button, Descriptions, Drawer, Flex, Select, Space, Spin, Steps, Tag, Typography } from 'antd';
import { leadStatusLabels, type DuplicateCheckResult, type Lead, type LeadStatus } from '@qiao/shared';
import { checkDuplicates, getLead, listLeadColleagues, setLeadCollaborators, setLeadStatus } from '../../api/leads';
import { useSession } from '../../auth/useSession';
import { DuplicateConflicts } from './DuplicateConflicts';
import { LeadFormModal } from './LeadFormModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDateTime, orDash } from '../../lib/format';
import { toApiError, useRemote } from '../../lib/useRemote';
import { kindColors, kindLabels } from '../marketing/ShareTreeChart';
import { FollowRecordsSection } from './FollowRecords';
import { LeadSourceTag, LeadStatusTag, manualStatuses } from './LeadsTags';
import { LeadOutcomeActions } from './LeadCloseModal';

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
  const session = useSession();
  const me = session?.user.id;
  const role = session?.user.role;
  const [editing, setEditing] = useState(false);
  const [checked, setChecked] = useState<{ leadId: string; result: DuplicateCheckResult } | null>(null);
  const [checking, setChecking] = useState(false);
  const [sharing, setSharing] = useState<string[] | null>(null);
  const canEdit = (row: Lead) => role === 'admin' || role === 'manager' || (role === 'sales' && (row.ownerId === me || row.collaborators.some((c) => c.id === me)));
  const canShare = (row: Lead) => role === 'admin' || role === 'manager' || (role === 'sales' && row.ownerId === me);
  const colleagues = useRemote((signal) => (sharing ? listLeadColleagues(signal) : Promise.resolve(null)), [sharing !== null]);

  const runCheck = async () => {
    if (!data) return;
    setChecking(true);
    try {
      const result = await checkDuplicates({ company: data.company, name: data.name, phone: data.phone, email: data.email, excludeLeadId: data.id });
      setChecked({ leadId: data.id, result });
      if (!result.conflict) message.success('未发现撞单');
    } catch (error) {
      message.error(toApiError(error).message);
    } finally {
      setChecking(false);
    }
  };

  const saveCollaborators = async () => {
    if (!data || !sharing) return;
    try {
      const saved = await setLeadCollaborators(data.id, sharing);
      lead.setData(saved);
      onChanged(saved);
      setSharing(null);
      message.success('协作人已更新');
    } catch (error) {
      message.error(toApiError(error).message);
    }
  };

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
            <Space id="lead-drawer-actions" wrap>
              {canEdit(data) ? (
                <Button id="lead-edit" onClick={() => setEditing(true)}>
                  编辑
                </Button>
              ) : null}
              {role !== 'marketer' ? (
                <Button id="lead-check-duplicates" loading={checking} onClick={() => void runCheck()}>
                  查重
                </Button>
              ) : null}
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
          <LeadOutcomeActions lead={data} onChanged={(saved) => { lead.setData(saved); onChanged(saved); }} />
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
            <Descriptions.Item label="协作人" span={2}>
              {sharing ? (
                <Space.Compact style={{ width: '100%' }}>
                  <Select
                    id="lead-collaborators"
                    mode="multiple"
                    style={{ width: '100%' }}
                    value={sharing}
                    onChange={setSharing}
                    loading={colleagues.loading}
                    optionFilterProp="label"
                    options={(colleagues.data ?? []).filter((c) => c.id !== data.ownerId).map((c) => ({ value: c.id, label: c.name }))}
                  />
                  <Button id="lead-collaborators-save" type="primary" onClick={() => void saveCollaborators()}>
                    保存
                  </Button>
                  <Button onClick={() => setSharing(null)}>取消</Button>
                </Space.Compact>
              ) : (
                <Space wrap>
                  <span id="lead-collaborator-names">{data.collaborators.length ? data.collaborators.map((c) => c.name).join('、') : '—'}</span>
                  {canShare(data) ? (
                    <Button id="lead-collaborators-edit" type="link" size="small" onClick={() => setSharing(data.collaborators.map((c) => c.id))}>
                      设置协作人
                    </Button>
                  ) : null}
                </Space>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="创建时间" span={2}>
              {formatDateTime(data.createdAt)}
            </Descriptions.Item>
            <Descriptions.Item label="备注" span={2}>
              {orDash(data.notes)}
            </Descriptions.Item>
          </Descriptions>
          {checked && checked.leadId === data.id && checked.result.conflict ? (
            <DuplicateConflicts matches={checked.result.matches} allowSave={checked.result.allowSave} title={`查重：发现 ${checked.result.matches.length} 条可能重复的记录`} />
          ) : null}
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
          <FollowRecordsSection target="lead" id={data.id} closed={data.status === 'closed' || data.status === 'converted'} onAdded={lead.reload} />
        </Flex>
      )}
      <LeadFormModal
        open={editing && Boolean(data)}
        lead={data}
        onClose={() => setEditing(false)}
        onSaved={(saved) => {
          setEditing(false);
          lead.setData(saved);
          onChanged(saved);
          message.success('线索已保存');
        }}
      />
    </Drawer>
  );
}
