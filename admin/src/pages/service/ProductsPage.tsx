import { Button, Card, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { warrantyStateLabels, warrantyStates, type ProductArchive, type WarrantyState } from '@qiao/shared';
import { listProducts } from '../../api/customers';
import { FilterSelect, ListFilters, SearchInput } from '../../components/ListFilters';
import { PageHeading } from '../../components/PageHeading';
import { PagedTable } from '../../components/RemoteTable';
import { WarrantyTag } from '../../components/StatusTags';
import { formatDate, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useEditing } from '../../lib/useEditing';
import { useListParams } from '../../lib/useListParams';
import { useRemote } from '../../lib/useRemote';
import { ProductFormModal } from './ProductFormModal';

const warrantyOptions = warrantyStates.map((value) => ({ value, label: warrantyStateLabels[value] }));

function isWarrantyState(value: string): value is WarrantyState {
  return (warrantyStates as readonly string[]).includes(value);
}

/** 产品档案: devices of customers with serial number, install date and warranty end. */
export default function ProductsPage() {
  useDocumentTitle('产品档案');
  const { page, pageSize, q, filters, update, paging } = useListParams(['warrantyState'] as const);
  const warranty = isWarrantyState(filters.warrantyState) ? filters.warrantyState : undefined;
  const editing = useEditing<ProductArchive>();

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
        <Button type="link" className="product-edit" onClick={() => editing.edit(row)}>
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
          <Button id="product-create" type="primary" icon={<PlusOutlined />} onClick={editing.create}>
            新增产品档案
          </Button>
        }
      />
      <Card>
        <ListFilters>
          <SearchInput id="product-search" value={q} placeholder="序列号、型号、客户名称" width={280} onSearch={(value) => update({ q: value })} />
          <FilterSelect
            placeholder="保修状态"
            width={140}
            options={warrantyOptions}
            value={warranty}
            onChange={(value) => update({ warrantyState: value ?? '' })}
          />
        </ListFilters>
        <PagedTable<ProductArchive>
          id="product-table"
          columns={columns}
          list={list}
          {...paging}
          scroll={{ x: 1000 }}
          emptyText={q || warranty ? '没有符合条件的产品档案' : '暂无产品档案'}
        />
      </Card>
      <ProductFormModal
        open={editing.open}
        product={editing.record}
        onClose={editing.close}
        onSaved={() => {
          editing.close();
          list.reload();
        }}
      />
    </div>
  );
}
