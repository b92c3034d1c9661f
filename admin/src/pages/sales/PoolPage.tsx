import { App as AntApp, Button, Popconfirm, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import type { PoolCustomer } from '@qiao/shared';
import { claimCustomer, getPoolQuota, listPool } from '../../api/pool';
import { useSession } from '../../auth/useSession';
import { SearchInput } from '../../components/ListFilters';
import { ListPage } from '../../components/ListPage';
import { formatDate, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useListParams } from '../../lib/useListParams';
import { toApiError, useRemote } from '../../lib/useRemote';
import { customerColumns } from './CustomerColumns';

/** 客户公海: customers without an owner; sales claim (申领) them within their cap. */
export default function PoolPage() {
  useDocumentTitle('客户公海');
  const { message } = AntApp.useApp();
  const role = useSession()?.user.role;
  const params = useListParams(['region', 'industry'] as const);
  const { page, pageSize, q, filters, update } = params;
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
    ...customerColumns<PoolCustomer>((row) => <Typography.Text strong>{row.name}</Typography.Text>),
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
    <ListPage<PoolCustomer>
      area="销售"
      title="客户公海"
      extra={quotaText ? <Typography.Text id="pool-quota">{quotaText}</Typography.Text> : null}
      params={params}
      search={{ id: 'pool-search', placeholder: '客户名称、编码、电话', width: 260 }}
      filters={
        <>
          <SearchInput id="pool-region" value={filters.region} placeholder="地区" width={160} onSearch={(value) => update({ region: value })} />
          <SearchInput id="pool-industry" value={filters.industry} placeholder="行业" width={160} onSearch={(value) => update({ industry: value })} />
        </>
      }
      table={{ id: 'pool-table', columns, list, scroll: { x: 1000 } }}
      empty={{ filtered: Boolean(q || filters.region || filters.industry), text: '公海中暂无客户', noun: '公海客户' }}
    />
  );
}
