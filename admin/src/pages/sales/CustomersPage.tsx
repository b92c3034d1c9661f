import { useNavigate } from 'react-router-dom';
import { App as AntApp, Button, Card, Space, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Customer } from '@qiao/shared';
import { listCustomers } from '../../api/customers';
import { ListFilters, SearchInput } from '../../components/ListFilters';
import { PageHeading } from '../../components/PageHeading';
import { PagedTable } from '../../components/RemoteTable';
import { formatDate, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useEditing } from '../../lib/useEditing';
import { useListParams } from '../../lib/useListParams';
import { useRemote } from '../../lib/useRemote';
import { CustomerFormModal } from './CustomerFormModal';

/** 客户: search, create and edit customers; a customer opens its 360 view (contacts, devices, …). */
export default function CustomersPage() {
  useDocumentTitle('客户');
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const { page, pageSize, q, update, paging } = useListParams();
  const editing = useEditing<Customer>();

  const list = useRemote((signal) => listCustomers({ page, pageSize, q: q || undefined }, signal), [page, pageSize, q]);
  const openCustomer = (id: string) => navigate(`/sales/customers/${encodeURIComponent(id)}`);

  const columns: TableColumnsType<Customer> = [
    {
      title: '客户',
      dataIndex: 'name',
      render: (_, row) => (
        <div>
          <Typography.Link className="customer-name" onClick={() => openCustomer(row.id)}>
            {row.name}
          </Typography.Link>
          <div>
            <Typography.Text type="secondary">{row.code}</Typography.Text>
          </div>
        </div>
      ),
    },
    { title: '地区', dataIndex: 'region', width: 100 },
    { title: '行业', dataIndex: 'industry', width: 110, render: (value: string) => orDash(value) },
    { title: '等级', dataIndex: 'grade', width: 70, render: (value: string) => orDash(value) },
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
    <div>
      <PageHeading
        area="销售"
        title="客户"
        extra={
          <Button id="customer-create" type="primary" icon={<PlusOutlined />} onClick={editing.create}>
            新建客户
          </Button>
        }
      />
      <Card>
        <ListFilters>
          <SearchInput id="customer-search" value={q} placeholder="客户名称、编码、电话" width={280} onSearch={(value) => update({ q: value })} />
        </ListFilters>
        <PagedTable<Customer>
          id="customer-table"
          columns={columns}
          list={list}
          {...paging}
          scroll={{ x: 1000 }}
          emptyText={q ? '没有符合条件的客户' : '暂无客户，点击“新建客户”添加'}
        />
      </Card>
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
    </div>
  );
}
