import { useState } from 'react';
import { Button, Card, Empty, Flex, Input, Select, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { warrantyStateLabels, warrantyStates, type ProductArchive, type WarrantyState } from '@qiao/shared';
import { listProducts } from '../../api/customers';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeading } from '../../components/PageHeading';
import { WarrantyTag } from '../../components/StatusTags';
import { formatDate, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useListParams } from '../../lib/useListParams';
import { useRemote } from '../../lib/useRemote';
import { ProductFormModal } from './ProductFormModal';

function isWarrantyState(value: string): value is WarrantyState {
  return (warrantyStates as readonly string[]).includes(value);
}

/** 产品档案: devices of customers with serial number, install date and warranty end. */
export default function ProductsPage() {
  useDocumentTitle('产品档案');
  const { page, pageSize, q, filters, update } = useListParams(['warrantyState'] as const);
  const warranty = isWarrantyState(filters.warrantyState) ? filters.warrantyState : undefined;
  const [editing, setEditing] = useState<ProductArchive | null | 'new'>(null);

  const list = useRemote(
    (signal) => listProducts({ page, pageSize, q: q || undefined, warrantyState: warranty }, signal),
    [page, pageSize, q, warranty],
  );

  const columns: TableColumnsType<ProductArchive> = [
    { title: '序列号', dataIndex: 'serialNumber', render: (value: string) => <Typography.Text code>{value}</Typography.Text> },
    { title: '型号', dataIndex: 'model' },
    { title: '产品线', dataIndex: 'productLine', width: 100 },
    { title: '客户', dataIndex: 'customerName' },
    { title: '安装日期', dataIndex: 'installedAt', width: 120, render: (value: string) => formatDate(value) },
    { title: '保修到期', dataIndex: 'warrantyEndsAt', width: 120, render: (value: string) => formatDate(value) },
    { title: '保修状态', dataIndex: 'warrantyState', width: 100, render: (value: WarrantyState) => <WarrantyTag state={value} /> },
    { title: '安装地址', dataIndex: 'address', ellipsis: true, render: (value: string) => orDash(value) },
    {
      title: '操作',
      width: 80,
      render: (_, row) => (
        <Button type="link" className="product-edit" onClick={() => setEditing(row)}>
          编辑
        </Button>
      ),
    },
  ];

  return (
    <div>
      <PageHeading
        area="服务"
        title="产品档案"
        extra={
          <Button id="product-create" type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            新增产品档案
          </Button>
        }
      />
      <Card>
        <Flex wrap gap={12} style={{ marginBottom: 16 }}>
          <Input.Search
            id="product-search"
            key={q}
            defaultValue={q}
            allowClear
            placeholder="序列号、型号、客户名称"
            style={{ width: 280 }}
            onSearch={(value) => update({ q: value.trim() })}
          />
          <Select
            allowClear
            placeholder="保修状态"
            style={{ width: 140 }}
            value={warranty}
            options={warrantyStates.map((value) => ({ value, label: warrantyStateLabels[value] }))}
            onChange={(value?: WarrantyState) => update({ warrantyState: value ?? '' })}
          />
        </Flex>
        <ErrorAlert error={list.error} onRetry={list.reload} />
        <Table<ProductArchive>
          id="product-table"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.error ? [] : (list.data?.items ?? [])}
          loading={list.loading}
          scroll={{ x: 1000 }}
          onChange={(pagination) => update({ page: pagination.current ?? 1, pageSize: pagination.pageSize ?? pageSize })}
          pagination={{ current: page, pageSize, total: list.data?.total ?? 0, showSizeChanger: true, showTotal: (total) => `共 ${total} 条` }}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={list.error ? '加载失败' : q || warranty ? '没有符合条件的产品档案' : '暂无产品档案'} />
            ),
          }}
        />
      </Card>
      <ProductFormModal
        open={editing !== null}
        product={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          list.reload();
        }}
      />
    </div>
  );
}
