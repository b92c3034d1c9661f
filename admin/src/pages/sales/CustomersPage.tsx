import { useState } from 'react';
import { App as AntApp, Button, Card, Empty, Flex, Input, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Customer } from '@qiao/shared';
import { listCustomers } from '../../api/customers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { formatDate, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useListParams } from '../../lib/useListParams';
import { useRemote } from '../../lib/useRemote';
import { CustomerDrawer } from './CustomerDrawer';
import { CustomerFormModal } from './CustomerFormModal';

/** 客户: search, create and edit customers; the drawer holds contacts and products. */
export default function CustomersPage() {
  useDocumentTitle('客户');
  const { message } = AntApp.useApp();
  const { page, pageSize, q, filters, update } = useListParams(['customer'] as const);
  const [editing, setEditing] = useState<Customer | null | 'new'>(null);
  const [drawerVersion, setDrawerVersion] = useState(0);

  const list = useRemote((signal) => listCustomers({ page, pageSize, q: q || undefined }, signal), [page, pageSize, q]);
  // The open customer is in the URL (?customer=…) so that reload and back keep it.
  const openCustomer = (id: string) => update({ customer: id, page });
  const closeCustomer = () => update({ customer: '', page });

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
    { title: '负责部门', dataIndex: 'department', width: 120, render: (value: string) => orDash(value) },
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
          <Button type="link" size="small" className="customer-edit" onClick={() => setEditing(row)}>
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
          <Button id="customer-create" type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            新建客户
          </Button>
        }
      />
      <Card>
        <Flex wrap gap={12} style={{ marginBottom: 16 }}>
          <Input.Search
            id="customer-search"
            key={q}
            defaultValue={q}
            allowClear
            placeholder="客户名称、编码、电话"
            style={{ width: 280 }}
            onSearch={(value) => update({ q: value.trim() })}
          />
        </Flex>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Table<Customer>
          id="customer-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.error ? [] : (list.data?.items ?? [])}
          loading={list.loading}
          scroll={{ x: 1000 }}
          onChange={(pagination) => update({ page: pagination.current ?? 1, pageSize: pagination.pageSize ?? pageSize })}
          pagination={{ current: page, pageSize, total: list.data?.total ?? 0, showSizeChanger: true, showTotal: (total) => `共 ${total} 条` }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={list.error ? '加载失败' : q ? '没有符合条件的客户' : '暂无客户，点击“新建客户”添加'} />,
          }}
        />
      </Card>
      <CustomerFormModal
        open={editing !== null}
        customer={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={(saved) => {
          const created = editing === 'new';
          setEditing(null);
          message.success(created ? `已新建客户 ${saved.name}` : `已保存客户 ${saved.name}`);
          list.reload();
          setDrawerVersion((value) => value + 1);
          if (created) openCustomer(saved.id);
        }}
      />
      <CustomerDrawer
        customerId={filters.customer || null}
        version={drawerVersion}
        onClose={closeCustomer}
        onEdit={(customer) => setEditing(customer)}
        onChanged={list.reload}
      />
    </div>
  );
}
