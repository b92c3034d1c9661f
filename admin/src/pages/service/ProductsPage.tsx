import { Button, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { warrantyStateLabels, warrantyStates, type ProductArchive, type WarrantyState } from '@qiao/shared';
import { listProducts } from '../../api/customers';
import { FilterSelect, oneOf } from '../../components/ListFilters';
import { ListPage } from '../../components/ListPage';
import { WarrantyTag } from '../../components/StatusTags';
import { formatDate, orDash } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useEditing } from '../../lib/useEditing';
import { useListParams } from '../../lib/useListParams';
import { useRemote } from '../../lib/useRemote';
import { ProductFormModal } from './ProductFormModal';

const warrantyOptions = warrantyStates.map((value) => ({ value, label: warrantyStateLabels[value] }));

/** 产品档案: devices of customers with serial number, install date and warranty end. */
export default function ProductsPage() {
  useDocumentTitle('产品档案');
  const params = useListParams(['warrantyState'] as const);
  const { page, pageSize, q, filters, update } = params;
  const warranty = oneOf(warrantyStates, filters.warrantyState);
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
    <ListPage<ProductArchive>
      area="服务"
      title="产品档案"
      create={{ id: 'product-create', label: '新增产品档案', onClick: editing.create }}
      params={params}
      search={{ id: 'product-search', placeholder: '序列号、型号、客户名称', width: 280 }}
      filters={<FilterSelect placeholder="保修状态" width={140} options={warrantyOptions} value={warranty} onChange={(value) => update({ warrantyState: value ?? '' })} />}
      table={{ id: 'product-table', columns, list, scroll: { x: 1000 } }}
      empty={{ filtered: Boolean(q || warranty), text: '暂无产品档案' }}
    >
      <ProductFormModal
        open={editing.open}
        product={editing.record}
        onClose={editing.close}
        onSaved={() => {
          editing.close();
          list.reload();
        }}
      />
    </ListPage>
  );
}
