// 线索: leads from campaign intents, by hand and elsewhere — filters, search, 新建 (with the
// duplicate check), assignment one by one or in bulk, status, Excel export.
import { useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { leadSourceLabels, leadSources, leadStatusLabels, leadStatuses, type Lead, type LeadSource, type LeadStatus } from '@qiao/shared';
import { leadsExportPath, listLeads } from '../../api/leads';
import { downloadExport } from '../../api/spread';
import { PeriodPicker } from '../marketing/ShareTreePeriod';
import { listStaff } from '../../api/staff';
import { useSession } from '../../auth/useSession';
import { CampaignSelect, useCanReadCampaigns } from '../../components/CampaignSelect';
import { FilterSelect, ListFilters, SearchInput } from '../../components/ListFilters';
import { PageHeading } from '../../components/PageHeading';
import { PagedTable } from '../../components/RemoteTable';
import { formatDateTime, formatShortDateTime, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { cursorOf, keyPaging } from '../../lib/keyPaging';
import { useListParams } from '../../lib/useListParams';
import { toApiError, useRemote } from '../../lib/useRemote';
import { LeadFormModal } from './LeadFormModal';
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
/** Who enters leads by hand. */
const CREATORS = ['admin', 'manager', 'sales'];

export default function LeadsPage() {
  useDocumentTitle('线索');
  const { message } = AntApp.useApp();
  const session = useSession();
  const role = session?.user.role;
  const canAssign = Boolean(role && ASSIGNERS.includes(role));
  const canCreate = Boolean(role && CREATORS.includes(role));
  const canReadCampaigns = useCanReadCampaigns();
  // Salespeople work their own and shared leads; managers and admin those they see.
  const me = session?.user.id;
  const isMine = (lead: Lead) => lead.ownerId === me || lead.collaborators.some((c) => c.id === me);
  const canChangeStatus = (lead: Lead) => role === 'admin' || role === 'manager' || (role === 'sales' && isMine(lead));

  const params = useListParams(['status', 'source', 'campaignId', 'ownerId', 'mine', 'from', 'to', 'cursor'] as const);
  const { page, pageSize, q, filters } = params;
  const cursor = cursorOf(params);
  const status = oneOf<LeadStatus>(leadStatuses, filters.status);
  const source = oneOf<LeadSource>(leadSources, filters.source);
  const campaignId = filters.campaignId || undefined;
  const ownerId = filters.ownerId || undefined;
  const mine = filters.mine === '1' ? ('1' as const) : undefined;
  const from = filters.from || undefined;
  const to = filters.to || undefined;
  const listFilters = { status, source, campaignId, ownerId, mine, from, to, q: q || undefined };
  const list = useRemote(
    (signal) => listLeads({ ...listFilters, page, pageSize, cursor }, signal),
    [status, source, campaignId, ownerId, mine, from, to, q, page, pageSize, cursor],
  );
  // Paging forward follows the list's cursor (deep pages stay fast); filters start over.
  const { update, paging } = keyPaging(params, list.data?.nextCursor);
  const sales = useRemote((signal) => (canAssign ? listStaff({ role: 'sales', pageSize: 100 }, signal) : Promise.resolve(null)), [canAssign]);
  const ownerOptions = (sales.data?.items ?? []).map((member) => ({ value: member.id, label: member.name }));

  const [open, setOpen] = useState<string | null>(null);
  const [assigning, setAssigning] = useState<Lead | null>(null);
  const [bulkIds, setBulkIds] = useState<string[] | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [creating, setCreating] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [version, setVersion] = useState(0);

  const exportExcel = async () => {
    setExporting(true);
    try {
      const name = await downloadExport(leadsExportPath(listFilters), '线索.xlsx');
      message.success(`已导出 ${name}`);
    } catch (error) {
      message.error(toApiError(error).message);
    } finally {
      setExporting(false);
    }
  };

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

  const filtered = Boolean(q || status || source || campaignId || ownerId || mine || from || to);
  return (
    <div id="leads-page">
      <PageHeading area="销售" title="线索" />
      <Card>
        <ListFilters>
          <SearchInput id="leads-search" value={q} placeholder="公司、联系人、电话、邮箱" width={240} onSearch={(value) => update({ q: value })} />
          <FilterSelect id="leads-status" placeholder="状态" width={120} options={statusOptions} value={status} onChange={(value) => update({ status: value ?? '' })} />
          <FilterSelect id="leads-source" placeholder="来源" width={120} options={sourceOptions} value={source} onChange={(value) => update({ source: value ?? '' })} />
          {canReadCampaigns ? <CampaignSelect id="leads-campaign" value={campaignId} onChange={(value) => update({ campaignId: value ?? '' })} /> : null}
          {canAssign ? (
            <FilterSelect id="leads-owner" placeholder="负责销售" width={140} options={ownerOptions} value={ownerId} onChange={(value) => update({ ownerId: value ?? '' })} />
          ) : null}
          <PeriodPicker id="leads-range" from={from ?? ''} to={to ?? ''} placeholder={['创建开始日期', '结束日期']} onChange={(f, t) => update({ from: f, to: t })} />
          {role !== 'marketer' ? (
            <Checkbox id="leads-mine" checked={Boolean(mine)} onChange={(event) => update({ mine: event.target.checked ? '1' : '' })}>
              只看我的
            </Checkbox>
          ) : null}
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
          <Button id="leads-export" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportExcel()}>
            导出 Excel
          </Button>
          {canAssign ? (
            <Button id="leads-bulk-assign" disabled={selected.length === 0} onClick={() => setBulkIds(selected)}>
              批量分配{selected.length ? `（${selected.length}）` : ''}
            </Button>
          ) : null}
          {canCreate ? (
            <Button id="lead-create" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
              新建线索
            </Button>
          ) : null}
        </ListFilters>
        <PagedTable<Lead>
          id="leads-table"
          columns={columns}
          list={list}
          {...paging}
          scroll={{ x: 'max-content' }}
          rowSelection={canAssign ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)), preserveSelectedRowKeys: true } : undefined}
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
      <LeadFormModal
        open={creating}
        onClose={() => setCreating(false)}
        onSaved={(lead) => {
          setCreating(false);
          message.success('线索已保存');
          list.reload();
          setOpen(lead.id);
        }}
      />
      <LeadsAssignModal
        lead={assigning}
        bulkIds={bulkIds}
        onClose={() => {
          setAssigning(null);
          setBulkIds(null);
        }}
        onBulkAssigned={(result) => {
          setBulkIds(null);
          setSelected([]);
          message.success(`已分配 ${result.changed} 条${result.unchanged ? `，${result.unchanged} 条原本就是该负责人` : ''}${result.notFound.length ? `，${result.notFound.length} 条无权分配` : ''}`);
          list.reload();
          setVersion((value) => value + 1);
        }}
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
