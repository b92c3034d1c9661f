import { useEffect } from 'react';
import { Alert, Col, DatePicker, Form, Input, Modal, Row } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { productArchiveInputSchema, type ProductArchive } from '@qiao/shared';
import { createProduct, updateProduct } from '../../api/customers';
import { CustomerSelect } from '../../components/CustomerSelect';
import { useSubmit } from '../../lib/useSubmit';
import { parseForm, zodRule } from '../../lib/zodForm';

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
const DATE = 'YYYY-MM-DD';

/** 新增/编辑产品档案, validated with productArchiveInputSchema. */
export function ProductFormModal({ open, product, customer, onClose, onSaved }: ProductFormModalProps) {
  const [form] = Form.useForm<ProductForm>();
  const { submitting, failure, run, reset } = useSubmit(form);

  useEffect(() => {
    if (!open) return;
    reset();
    form.resetFields();
    form.setFieldsValue(
      product
        ? {
            serialNumber: product.serialNumber,
            model: product.model,
            productLine: product.productLine,
            customerId: product.customerId,
            installedAt: dayjs(product.installedAt),
            warrantyEndsAt: dayjs(product.warrantyEndsAt),
            address: product.address,
          }
        : { customerId: customer?.id },
    );
  }, [open, product, customer, form, reset]);

  const submit = async () => {
    const values = await form.validateFields();
    const body = parseForm(form, productArchiveInputSchema, {
      serialNumber: values.serialNumber ?? '',
      model: values.model ?? '',
      productLine: values.productLine ?? '',
      customerId: values.customerId ?? '',
      installedAt: values.installedAt ? values.installedAt.format(DATE) : '',
      warrantyEndsAt: values.warrantyEndsAt ? values.warrantyEndsAt.format(DATE) : '',
      address: values.address ?? '',
    });
    if (!body) return;
    await run(async () => {
      const saved = product ? await updateProduct(product.id, body) : await createProduct(body);
      onSaved(saved);
    });
  };

  return (
    <Modal
      open={open}
      title={product ? `编辑产品档案 ${product.serialNumber}` : '新增产品档案'}
      width={640}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText="保存"
      okButtonProps={{ id: 'product-save' }}
      confirmLoading={submitting}
      destroyOnHidden
      modalRender={(node) => <div id="product-modal">{node}</div>}
    >
      <Form form={form} layout="vertical" name="product" style={{ marginTop: 16 }}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="serialNumber" label="序列号" required rules={[zodRule(fields.serialNumber)]}>
              <Input placeholder="设备铭牌上的序列号" maxLength={64} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="model" label="型号" required rules={[zodRule(fields.model)]}>
              <Input placeholder="例如 KFR-72LW" maxLength={64} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="productLine" label="产品线" required rules={[zodRule(fields.productLine)]} extra="派工时按产品线匹配工程师">
              <Input placeholder="例如 空调、热水器" maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="customerId" label="所属客户" rules={[{ required: true, message: '请选择客户' }]}>
              <CustomerSelect
                disabled={Boolean(customer)}
                initialLabel={customer?.name ?? product?.customerName}
              />
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
          <Col span={24}>
            <Form.Item name="address" label="安装地址" rules={[zodRule(fields.address)]}>
              <Input placeholder="选填" maxLength={200} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {failure ? <Alert type="error" showIcon message={failure.message} /> : null}
    </Modal>
  );
}
