import { App as AntApp, Button, Card, Input, Popconfirm, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { PoolCustomer } from '@qiao/shared';
import { claimCustomer, getPoolQuota, listPool } from '../../api/pool';
import { useSession } from '../../auth/useSession';
import { ListFilters, SearchInput } from '../../components/ListFilters';
import { PageHeading } from '../../components/PageHeading';
import { PagedTable } from '../../components/RemoteTable';
import { formatDate, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useListParams } from '../../lib/useListParams';
import { toApiError, useRemote } from '../../lib/useRemote';

/** 客户公海: customers without an owner; sales claim (申领) them within their cap. */
export default function PoolPage() {
  useDocumentTitle('客户公海');
  const { message } = AntApp.useApp();
  const role = useSession()?.user.role;
  const { page, pageSize, q, filters, update, paging } = useListParams(['region', 'industry'] as const);
  const list = useRemote(
    (signal) => listPool({ page, pageSize, q: q || undefined, region: filters.region || undefined, industry: filters.industry || undefined }, signal),
    [page, pageSize, q, filters.region, filters.industry],
  );
  const quota = useRemote((signal) => getPoolQuota(signal), []);
  const mayClaim = role === 'sales' || role === 'manager';

  const claim = async (row: PoolCustomer) => {
    try {
      await claimCustomer(row.id);
      message.success(`已申领客户 ${row.name}`);
    } catch (error) {
      message.error(toApiError(error).message);
    }
    list.reload();
    quota.reload();
  };

  const columns: TableColumnsType<PoolCustomer> = [
    {
      title: '客户',
      dataIndex: 'name',
      render: (_, row) => (
        <div>
          <Typography.Text strong>{row.name}</Typography.Text>
          <div>
            <Typography.Text type="secondary">{row.code}</Typography.Text>
          </div>
        </div>
      ),
    },
    { title: '地区', dataIndex: 'region', width: 100 },
    { title: '行业', dataIndex: 'industry', width: 110, render: (value: string) => orDash(value) },
    { title: '等级', dataIndex: 'grade', width: 70, render: (value: string) => orDash(value) },
    { title: '电话', dataIndex: 'phone', width: 130, render: (value: string) => orDash(value) },
    { title: '原专管业务员', dataIndex: 'lastOwnerName', width: 120, render: (value: string | null) => orDash(value ?? '') },
    { title: '进入公海', dataIndex: 'inPoolSince', width: 110, render: (value: string | null) => (value ? formatDate(value) : '—') },
    { title: '最近跟进', dataIndex: 'lastFollowUpAt', width: 110, render: (value: string | null) => (value ? formatDate(value) : <Tag>从未跟进</Tag>) },
    {
      title: '操作',
      width: 90,
      render: (_, row) =>
        mayClaim ? (
          <Popconfirm
            title={`申领客户 ${row.name}？`}
            description="申领后由您专门跟进，超期未跟进将自动退回公海。"
            okText="申领"
            cancelText="取消"
            okButtonProps={{ id: `pool-claim-confirm-${row.id}` }}
            onConfirm={() => claim(row)}
          >
            <Button id={`pool-claim-${row.id}`} type="link" size="small">
              申领
            </Button>
          </Popconfirm>
        ) : null,
    },
  ];

  const quotaText = quota.data ? (quota.data.maxOwned > 0 ? `我的客户 ${quota.data.owned} / ${quota.data.maxOwned}` : `我的客户 ${quota.data.owned}（不限）`) : null;
  return (
    <div>
      <PageHeading area="销售" title="客户公海" extra={quotaText ? <Typography.Text id="pool-quota">{quotaText}</Typography.Text> : null} />
      <Card>
        <ListFilters>
          <SearchInput id="pool-search" value={q} placeholder="客户名称、编码、电话" width={260} onSearch={(value) => update({ q: value })} />
          <Input.Search
            id="pool-region"
            key={`region-${filters.region}`}
            defaultValue={filters.region}
            allowClear
            placeholder="地区"
            style={{ width: 160 }}
            onSearch={(value) => update({ region: value.trim() })}
          />
          <Input.Search
            id="pool-industry"
            key={`industry-${filters.industry}`}
            defaultValue={filters.industry}
            allowClear
            placeholder="行业"
            style={{ width: 160 }}
            onSearch={(value) => update({ industry: value.trim() })}
          />
        </ListFilters>
        <PagedTable<PoolCustomer>
          id="pool-table"
          columns={columns}
          list={list}
          {...paging}
          scroll={{ x: 1000 }}
          emptyText={q || filters.region || filters.industry ? '没有符合条件的公海客户' : '公海中暂无客户'}
        />
      </Card>
    </div>
  );
}
