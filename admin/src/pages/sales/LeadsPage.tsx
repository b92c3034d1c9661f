// 线索: leads from campaign intents and elsewhere — filters, search, assignment and status.
import { useState } from 'react';
import { App as AntApp, Button, Card, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { leadSourceLabels, leadSources, leadStatusLabels, leadStatuses, type Lead, type LeadSource, type LeadStatus } from '@qiao/shared';
import { listLeads } from '../../api/spread';
import { listStaff } from '../../api/staff';
import { useSession } from '../../auth/useSession';
import { CampaignSelect, useCanReadCampaigns } from '../../components/CampaignSelect';
import { FilterSelect, ListFilters, SearchInput } from '../../components/ListFilters';
import { PageHeading } from '../../components/PageHeading';
import { PagedTable } from '../../components/RemoteTable';
import { formatDateTime, formatShortDateTime, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useListParams } from '../../lib/useListParams';
import { useRemote } from '../../lib/useRemote';
import { LeadsAssignModal } from './LeadsAssignModal';
import { LeadsDrawer } from './LeadsDrawer';
import { LeadSourceTag, LeadStatusTag } from './LeadsTags';

const statusOptions = leadStatuses.map((value) => ({ value, label: leadStatusLabels[value] }));
const sourceOptions = leadSources.map((value) => ({ value, label: leadSourceLabels[value] }));

function oneOf<T extends string>(values: readonly T[], value: string): T | undefined {
  return (values as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** Who hands leads out to salespeople (the staff list they pick from is theirs too). */
const ASSIGNERS = ['admin', 'manager'];

export default function LeadsPage() {
  useDocumentTitle('线索');
  const { message } = AntApp.useApp();
  const session = useSession();
  const role = session?.user.role;
  const canAssign = Boolean(role && ASSIGNERS.includes(role));
  const canReadCampaigns = useCanReadCampaigns();
  // Salespeople work their own leads; managers and admin any.
  const canChangeStatus = (lead: Lead) => role === 'admin' || role === 'manager' || (role === 'sales' && lead.ownerId === session?.user.id);

  const { page, pageSize, q, filters, update, paging } = useListParams(['status', 'source', 'campaignId', 'ownerId'] as const);
  const status = oneOf<LeadStatus>(leadStatuses, filters.status);
  const source = oneOf<LeadSource>(leadSources, filters.source);
  const campaignId = filters.campaignId || undefined;
  const ownerId = filters.ownerId || undefined;
  const list = useRemote(
    (signal) => listLeads({ status, source, campaignId, ownerId, q: q || undefined, page, pageSize }, signal),
    [status, source, campaignId, ownerId, q, page, pageSize],
  );
  const sales = useRemote((signal) => (canAssign ? listStaff({ role: 'sales', pageSize: 100 }, signal) : Promise.resolve(null)), [canAssign]);
  const ownerOptions = (sales.data?.items ?? []).map((member) => ({ value: member.id, label: member.name }));

  const [open, setOpen] = useState<string | null>(null);
  const [assigning, setAssigning] = useState<Lead | null>(null);
  const [version, setVersion] = useState(0);

  const columns: TableColumnsType<Lead> = [
    {
      title: '公司 / 联系人',
      dataIndex: 'company',
      render: (_, row) => (
        <div>
          <Typography.Link className="lead-open" onClick={() => setOpen(row.id)}>
            {row.company || row.name}
          </Typography.Link>
          <div>
            <Typography.Text type="secondary">
              {row.company ? row.name : ''} {row.phone}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      title: '意向产品',
      dataIndex: 'products',
      render: (products: string[]) => (products.length ? products.map((product) => <Tag key={product}>{product}</Tag>) : '—'),
    },
    {
      title: '来源',
      dataIndex: 'source',
      width: 180,
      render: (_, row) => (
        <div>
          <LeadSourceTag source={row.source} />
          {row.campaignName ? (
            <div>
              <Typography.Text type="secondary" ellipsis title={row.campaignName} style={{ maxWidth: 160 }}>
                {row.campaignName}
              </Typography.Text>
            </div>
          ) : null}
        </div>
      ),
    },
    { title: '状态', dataIndex: 'status', width: 90, render: (value: LeadStatus) => <LeadStatusTag status={value} /> },
    {
      title: '负责销售',
      dataIndex: 'ownerName',
      width: 100,
      render: (value: string | null) => (value ? <span className="lead-owner">{value}</span> : <Typography.Text type="secondary">未分配</Typography.Text>),
    },
    { title: '地区', dataIndex: 'region', width: 90, render: (value: string) => orDash(value) },
    {
      title: '创建时间',
      dataIndex: 'createdAt',
      width: 120,
      render: (value: string) => <span title={formatDateTime(value)}>{formatShortDateTime(value)}</span>,
    },
    {
      title: '操作',
      width: 120,
      render: (_, row) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setOpen(row.id)}>
            详情
          </Button>
          {canAssign && row.status !== 'converted' && row.status !== 'closed' ? (
            <Button type="link" size="small" className="lead-assign" onClick={() => setAssigning(row)}>
              {row.ownerId ? '改派' : '分配'}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];

  const filtered = Boolean(q || status || source || campaignId || ownerId);
  return (
    <div id="leads-page">
      <PageHeading area="销售" title="线索" />
      <Card>
        <ListFilters>
          <SearchInput id="leads-search" value={q} placeholder="公司、姓名、手机号" width={240} onSearch={(value) => update({ q: value })} />
          <FilterSelect id="leads-status" placeholder="状态" width={120} options={statusOptions} value={status} onChange={(value) => update({ status: value ?? '' })} />
          <FilterSelect id="leads-source" placeholder="来源" width={120} options={sourceOptions} value={source} onChange={(value) => update({ source: value ?? '' })} />
          {canReadCampaigns ? <CampaignSelect id="leads-campaign" value={campaignId} onChange={(value) => update({ campaignId: value ?? '' })} /> : null}
          {canAssign ? (
            <FilterSelect id="leads-owner" placeholder="负责销售" width={140} options={ownerOptions} value={ownerId} onChange={(value) => update({ ownerId: value ?? '' })} />
          ) : null}
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </ListFilters>
        <PagedTable<Lead>
          id="leads-table"
          columns={columns}
          list={list}
          {...paging}
          scroll={{ x: 'max-content' }}
          emptyText={filtered ? '没有符合条件的线索' : '暂无线索：营销方案页面上提交的意向会自动成为线索'}
        />
      </Card>
      <LeadsDrawer
        leadId={open}
        version={version}
        canAssign={canAssign}
        canReadCampaigns={canReadCampaigns}
        canChangeStatus={canChangeStatus}
        onAssign={setAssigning}
        onChanged={() => list.reload()}
        onClose={() => setOpen(null)}
      />
      <LeadsAssignModal
        lead={assigning}
        onClose={() => setAssigning(null)}
        onAssigned={(lead) => {
          setAssigning(null);
          message.success(`已分配给 ${lead.ownerName ?? '销售'}`);
          list.reload();
          setVersion((value) => value + 1);
        }}
      />
    </div>
  );
}
