// 商机: the opportunities the caller sees (sales their own, managers their departments, admin all),
// filtered by stage, owner and name; edited while open; 赢单 / 输单.
import { useState } from 'react';
import { App as AntApp, Button, Card, Checkbox, Popconfirm, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { opportunityStageLabels, opportunityStages, type Opportunity, type OpportunityStage } from '@qiao/shared';
import { getOpportunity, listOpportunities, markOpportunityWon } from '../../api/opportunities';
import { listStaff } from '../../api/staff';
import { useSession } from '../../auth/useSession';
import { FilterSelect, ListFilters, SearchInput } from '../../components/ListFilters';
import { PageHeading } from '../../components/PageHeading';
import { PagedTable } from '../../components/RemoteTable';
import { formatDate, formatDateTime, formatFen, formatShortDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { cursorOf, keyPaging } from '../../lib/keyPaging';
import { useListParams } from '../../lib/useListParams';
import { toApiError, useRemote } from '../../lib/useRemote';
import { OpportunityCreateModal } from './OpportunityCreateModal';
import { OpportunityEditModal, OpportunityLostModal } from './OpportunityModals';

const stageColors: Record<OpportunityStage, string> = { open: 'processing', won: 'success', lost: 'default' };
const stageOptions = opportunityStages.map((value) => ({ value, label: opportunityStageLabels[value] }));

export function OpportunityStageTag({ stage }: { stage: OpportunityStage }) {
  return (
    <Tag color={stageColors[stage]} className="opportunity-stage" data-stage={stage}>
      {opportunityStageLabels[stage]}
    </Tag>
  );
}

const oneOf = <T extends string>(values: readonly T[], value: string): T | undefined => ((values as readonly string[]).includes(value) ? (value as T) : undefined);

export default function OpportunitiesPage() {
  useDocumentTitle('商机');
  const { message } = AntApp.useApp();
  const role = useSession()?.user.role;
  const seesOthers = role === 'admin' || role === 'manager';
  const params = useListParams(['stage', 'ownerId', 'mine', 'open', 'cursor'] as const);
  const { page, pageSize, q, filters } = params;
  const cursor = cursorOf(params);
  const stage = oneOf(opportunityStages, filters.stage);
  const ownerId = filters.ownerId || undefined;
  const mine = filters.mine === '1' ? '1' : undefined;
  const list = useRemote(
    (signal) => listOpportunities({ stage, ownerId, mine, q: q || undefined, page, pageSize, cursor }, signal),
    [stage, ownerId, mine, q, page, pageSize, cursor],
  );
  // Paging forward follows the list's cursor (deep pages stay fast); filters start over.
  const { update: updateList, paging } = keyPaging(params, list.data?.nextCursor);
  // Opening and closing the editor keeps the page (and its cursor).
  const update = (patch: Parameters<typeof updateList>[0]) => ('open' in patch ? params.update(patch) : updateList(patch));
  const sales = useRemote((signal) => (seesOthers ? listStaff({ role: 'sales', pageSize: 100 }, signal) : Promise.resolve(null)), [seesOthers]);
  const ownerOptions = (sales.data?.items ?? []).map((member) => ({ value: member.id, label: member.name }));

  // The opportunity being edited is in the URL (?open=…): the lead drawer links to it.
  const opened = useRemote((signal) => (filters.open ? getOpportunity(filters.open, signal) : Promise.resolve(null)), [filters.open]);
  const editing = filters.open && opened.data?.id === filters.open && opened.data.stage === 'open' ? opened.data : null;
  const [losing, setLosing] = useState<Opportunity | null>(null);
  const [creating, setCreating] = useState(false);

  const saved = (opportunity: Opportunity, text: string) => {
    message.success(text);
    list.reload();
    if (filters.open === opportunity.id) update({ open: '', page });
  };
  const win = async (row: Opportunity) => {
    try {
      saved(await markOpportunityWon(row.id), `「${row.name}」已赢单`);
    } catch (error) {
      message.error(toApiError(error).message);
      list.reload();
    }
  };

  const columns: TableColumnsType<Opportunity> = [
    {
      title: '商机',
      dataIndex: 'name',
      render: (_, row) => (
        <div>
          <Typography.Text strong className="opportunity-name">
            {row.name}
          </Typography.Text>
          <div>
            <Typography.Text type="secondary">{row.customerName || '—'}</Typography.Text>
          </div>
        </div>
      ),
    },
    { title: '阶段', dataIndex: 'stage', width: 90, render: (value: OpportunityStage) => <OpportunityStageTag stage={value} /> },
    { title: '预计金额', dataIndex: 'amount', width: 140, align: 'right', render: (value: number) => formatFen(value) },
    { title: '预计成交', dataIndex: 'expectedCloseAt', width: 110, render: (value: string | null) => formatDate(value) },
    { title: '负责销售', dataIndex: 'ownerName', width: 100, render: (value: string | null) => value ?? '—' },
    {
      title: '结果',
      dataIndex: 'closedAt',
      width: 160,
      render: (_, row) =>
        row.stage === 'open' ? '—' : (
          <span title={row.lostReason || undefined}>
            {formatShortDateTime(row.closedAt)}
            {row.lostReason ? <Typography.Text type="secondary"> · {row.lostReason}</Typography.Text> : null}
          </span>
        ),
    },
    { title: '创建时间', dataIndex: 'createdAt', width: 120, render: (value: string) => <span title={formatDateTime(value)}>{formatShortDateTime(value)}</span> },
    {
      title: '操作',
      width: 170,
      render: (_, row) =>
        row.stage === 'open' ? (
          <Space size={0}>
            <Button type="link" size="small" className="opportunity-edit" onClick={() => update({ open: row.id, page })}>
              编辑
            </Button>
            <Popconfirm title={`确认「${row.name}」赢单？`} okText="赢单" onConfirm={() => win(row)} okButtonProps={{ id: `opportunity-won-confirm-${row.id}` }}>
              <Button type="link" size="small" className="opportunity-won" id={`opportunity-won-${row.id}`}>
                赢单
              </Button>
            </Popconfirm>
            <Button type="link" size="small" danger className="opportunity-lost" id={`opportunity-lost-${row.id}`} onClick={() => setLosing(row)}>
              输单
            </Button>
          </Space>
        ) : null,
    },
  ];

  const filtered = Boolean(q || stage || ownerId || mine);
  return (
    <div id="opportunities-page">
      <PageHeading area="销售" title="商机" />
      <Card>
        <ListFilters>
          <SearchInput id="opportunities-search" value={q} placeholder="商机名称、客户名称" width={220} onSearch={(value) => update({ q: value })} />
          <FilterSelect id="opportunities-stage" placeholder="阶段" width={120} options={stageOptions} value={stage} onChange={(value) => update({ stage: value ?? '' })} />
          {seesOthers ? (
            <>
              <FilterSelect id="opportunities-owner" placeholder="负责销售" width={140} options={ownerOptions} value={ownerId} onChange={(value) => update({ ownerId: value ?? '' })} />
              <Checkbox id="opportunities-mine" checked={Boolean(mine)} onChange={(event) => update({ mine: event.target.checked ? '1' : '' })}>
                只看我的
              </Checkbox>
            </>
          ) : null}
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
          <Button type="primary" id="opportunity-create" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            新建商机
          </Button>
        </ListFilters>
        <PagedTable<Opportunity>
          id="opportunities-table"
          columns={columns}
          list={list}
          {...paging}
          emptyText={filtered ? '没有符合条件的商机' : '暂无商机：线索转化时可同时创建商机'}
        />
      </Card>
      <OpportunityCreateModal
        open={creating}
        namesOwner={seesOthers}
        onClose={() => setCreating(false)}
        onSaved={(row) => {
          setCreating(false);
          saved(row, `已新建商机「${row.name}」`);
        }}
      />
      <OpportunityEditModal opportunity={editing} onClose={() => update({ open: '', page })} onSaved={(row) => saved(row, '商机已保存')} />
      <OpportunityLostModal
        opportunity={losing}
        onClose={() => setLosing(null)}
        onSaved={(row) => {
          setLosing(null);
          saved(row, `「${row.name}」已输单`);
        }}
      />
    </div>
  );
}
