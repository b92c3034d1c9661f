import { Col, DatePicker, Form, Row } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { productArchiveInputSchema, type ProductArchive } from '@qiao/shared';
import { createProduct, updateProduct } from '../../api/customers';
import { CustomerSelect } from '../../components/CustomerSelect';
import { FormModal } from '../../components/FormModal';
import { SchemaField } from '../../components/SchemaField';
import { useModalForm } from '../../lib/useModalForm';
import { parseForm, textValues } from '../../lib/zodForm';

export interface ProductFormModalProps {
  open: boolean;
  /** The archive to edit; null to create one. */
  product: ProductArchive | null;
  /** Creating from a customer's page: the owner is fixed. */
  customer?: { id: string; name: string };
  onClose: () => void;
  onSaved: (product: ProductArchive) => void;
}

interface ProductForm {
  serialNumber?: string;
  model?: string;
  productLine?: string;
  customerId?: string;
  installedAt?: Dayjs | null;
  warrantyEndsAt?: Dayjs | null;
  address?: string;
}

const fields = productArchiveInputSchema.shape;
const textFields = ['serialNumber', 'model', 'productLine', 'customerId', 'address'] as const;
const DATE = 'YYYY-MM-DD';

/** 新增/编辑产品档案, validated with productArchiveInputSchema. */
export function ProductFormModal({ open, product, customer, onClose, onSaved }: ProductFormModalProps) {
  const { form, run, modal } = useModalForm<ProductForm>(open, {
    initialValues: () =>
      product
        ? { ...textValues(product, textFields), installedAt: dayjs(product.installedAt), warrantyEndsAt: dayjs(product.warrantyEndsAt) }
        : { customerId: customer?.id },
    deps: [product, customer],
  });

  const submit = async () => {
    const values = await form.validateFields();
    const body = parseForm(form, productArchiveInputSchema, {
      ...textValues(values, textFields),
      installedAt: values.installedAt ? values.installedAt.format(DATE) : '',
      warrantyEndsAt: values.warrantyEndsAt ? values.warrantyEndsAt.format(DATE) : '',
    });
    if (!body) return;
    await run(async () => {
      const saved = product ? await updateProduct(product.id, body) : await createProduct(body);
      onSaved(saved);
    });
  };

  return (
    <FormModal
      {...modal}
      name="product"
      title={product ? `编辑产品档案 ${product.serialNumber}` : '新增产品档案'}
      width={640}
      onSubmit={submit}
      onClose={onClose}
    >
      <Row gutter={16}>
        <SchemaField span={12} name="serialNumber" label="序列号" required schema={fields.serialNumber} placeholder="设备铭牌上的序列号" maxLength={64} />
        <SchemaField span={12} name="model" label="型号" required schema={fields.model} placeholder="例如 KFR-72LW" maxLength={64} />
        <SchemaField
          span={12}
          name="productLine"
          label="产品线"
          required
          schema={fields.productLine}
          extra="派工时按产品线匹配工程师"
          placeholder="例如 空调、热水器"
          maxLength={50}
        />
        <Col span={12}>
          <Form.Item name="customerId" label="所属客户" rules={[{ required: true, message: '请选择客户' }]}>
            <CustomerSelect disabled={Boolean(customer)} initialLabel={customer?.name ?? product?.customerName} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="installedAt" label="安装日期" rules={[{ required: true, message: '请选择安装日期' }]}>
            <DatePicker style={{ width: '100%' }} format={DATE} placeholder="选择日期" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item
            name="warrantyEndsAt"
            label="保修到期日"
            dependencies={['installedAt']}
            rules={[
              { required: true, message: '请选择保修到期日' },
              ({ getFieldValue }) => ({
                validator: async (_rule, value: Dayjs | null) => {
                  const installed = getFieldValue('installedAt') as Dayjs | null;
                  if (value && installed && value.isBefore(installed, 'day')) throw new Error('保修到期日不能早于安装日期');
                },
              }),
            ]}
          >
            <DatePicker style={{ width: '100%' }} format={DATE} placeholder="选择日期" />
          </Form.Item>
        </Col>
        <SchemaField span={24} name="address" label="安装地址" schema={fields.address} placeholder="选填" maxLength={200} />
      </Row>
    </FormModal>
  );
}
