import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { App as AntApp, Button, Space, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { SwapOutlined, UploadOutlined } from '@ant-design/icons';
import type { Customer } from '@qiao/shared';
import { listCustomers } from '../../api/customers';
import { FilterSelect } from '../../components/ListFilters';
import { ListPage } from '../../components/ListPage';
import { useSession } from '../../auth/useSession';
import { formatDate, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useEditing } from '../../lib/useEditing';
import { useListParams } from '../../lib/useListParams';
import { useRemote } from '../../lib/useRemote';
import { customerColumns } from './CustomerColumns';
import { CustomerFormModal } from './CustomerFormModal';
import { TransferAllModal } from './TransferAllModal';

type OwnerFilter = 'mine' | 'pool' | 'owned';
const ownerFilterOptions: Array<{ value: OwnerFilter; label: string }> = [
  { value: 'mine', label: '我的客户' },
  { value: 'owned', label: '有专管业务员' },
  { value: 'pool', label: '公海客户' },
];
/** The list query of an owner filter. */
function ownerQuery(filter: string): { mine?: '1'; inPool?: '1' | '0' } {
  if (filter === 'mine') return { mine: '1' };
  if (filter === 'pool') return { inPool: '1' };
  if (filter === 'owned') return { inPool: '0' };
  return {};
}
import { ImportHistoryDrawer } from './ImportHistoryDrawer';
import { ImportModal } from './ImportModal';

/** 客户: search, create and edit customers; a customer opens its 360 view (contacts, devices, …). */
export default function CustomersPage() {
  useDocumentTitle('客户');
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const params = useListParams(['owner'] as const);
  const { page, pageSize, q, filters, update } = params;
  const editing = useEditing<Customer>();
  const [reassigning, setReassigning] = useState(false);
  const role = useSession()?.user.role;
  const isManager = role === 'manager' || role === 'admin';
  // Imports are for sales, managers and admin (dispatchers only work with customers).
  const canImport = role === 'sales' || isManager;
  const [imports, setImports] = useState<{ modal: boolean; history: boolean; id: string | null }>({ modal: false, history: false, id: null });

  const list = useRemote(
    (signal) => listCustomers({ page, pageSize, q: q || undefined, ...ownerQuery(filters.owner) }, signal),
    [page, pageSize, q, filters.owner],
  );
  const openCustomer = (id: string) => navigate(`/sales/customers/${encodeURIComponent(id)}`);

  const columns: TableColumnsType<Customer> = [
    ...customerColumns<Customer>((row) => (
      <Typography.Link className="customer-name" onClick={() => openCustomer(row.id)}>
        {row.name}
      </Typography.Link>
    )),
    {
      title: '专管业务员',
      dataIndex: 'ownerName',
      width: 120,
      render: (_, row) => (row.inPool ? <Tag color="gold">公海</Tag> : <span className="customer-owner">{row.ownerName ?? '—'}{row.locked ? <Tag color="red" style={{ marginLeft: 4 }}>锁定</Tag> : null}</span>),
    },
    { title: '负责部门', dataIndex: 'departmentName', width: 120, render: (value: string) => orDash(value) },
    { title: '电话', dataIndex: 'phone', width: 130, render: (value: string) => orDash(value) },
    { title: '联系人', dataIndex: 'contactCount', width: 80, align: 'right' },
    { title: '产品', dataIndex: 'productCount', width: 70, align: 'right' },
    { title: '创建日期', dataIndex: 'createdAt', width: 110, render: (value: string) => formatDate(value) },
    {
      title: '操作',
      width: 120,
      render: (_, row) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => openCustomer(row.id)}>
            详情
          </Button>
          <Button type="link" size="small" className="customer-edit" onClick={() => editing.edit(row)}>
            编辑
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <ListPage<Customer>
      area="销售"
      title="客户"
      create={{ id: 'customer-create', label: '新建客户', onClick: editing.create }}
      extra={
        <>
          {isManager ? (
            <Button id="reassign-open" icon={<SwapOutlined />} onClick={() => setReassigning(true)}>
              批量转移
            </Button>
          ) : null}
          {canImport ? (
            <>
              <Button id="customer-import-history" onClick={() => setImports({ ...imports, history: true })}>
                导入记录
              </Button>
              <Button id="customer-import" icon={<UploadOutlined />} onClick={() => setImports({ history: false, modal: true, id: null })}>
                导入
              </Button>
            </>
          ) : null}
        </>
      }
      params={params}
      search={{ id: 'customer-search', placeholder: '客户名称、编码、电话', width: 280 }}
      filters={
        <FilterSelect<OwnerFilter>
          id="customer-owner-filter"
          placeholder="归属"
          width={150}
          options={role === 'sales' ? ownerFilterOptions.filter((option) => option.value !== 'pool') : ownerFilterOptions}
          value={(filters.owner || undefined) as OwnerFilter | undefined}
          onChange={(value) => update({ owner: value ?? '' })}
        />
      }
      table={{ id: 'customer-table', columns, list, scroll: { x: 1000 } }}
      // Only a search says 没有符合条件: the owner filter keeps the invitation to create one.
      empty={{ filtered: Boolean(q), text: '暂无客户，点击“新建客户”添加' }}
    >
      <CustomerFormModal
        open={editing.open}
        customer={editing.record}
        onClose={editing.close}
        onSaved={(saved) => {
          const created = editing.isNew;
          editing.close();
          message.success(created ? `已新建客户 ${saved.name}` : `已保存客户 ${saved.name}`);
          list.reload();
          if (created) openCustomer(saved.id);
        }}
      />
      <TransferAllModal
        open={reassigning}
        onClose={() => setReassigning(false)}
        onDone={(result) => {
          setReassigning(false);
          message.success(result.remaining > 0 ? `已转移 ${result.moved} 个客户，还有 ${result.remaining} 个，请再次提交` : `已转移 ${result.moved} 个客户`);
          list.reload();
        }}
      />
      <ImportModal open={imports.modal} importId={imports.id} onClose={() => setImports({ ...imports, modal: false })} onFinished={list.reload} />
      <ImportHistoryDrawer
        open={imports.history}
        onClose={() => setImports({ ...imports, history: false })}
        onOpenImport={(id) => setImports({ history: true, modal: true, id })}
      />
    </ListPage>
  );
}
