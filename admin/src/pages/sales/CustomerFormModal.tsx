import { useEffect } from 'react';
import { Alert, AutoComplete, Col, Form, Input, Modal, Row } from 'antd';
import { customerInputSchema, type Customer } from '@qiao/shared';
import { createCustomer, updateCustomer } from '../../api/customers';
import { useSubmit } from '../../lib/useSubmit';
import { parseForm, zodRule } from '../../lib/zodForm';

export interface CustomerFormModalProps {
  open: boolean;
  /** The customer to edit; null to create one. */
  customer: Customer | null;
  onClose: () => void;
  onSaved: (customer: Customer) => void;
}

type CustomerForm = Partial<Record<keyof typeof customerInputSchema.shape, string>>;

const fields = customerInputSchema.shape;
const gradeOptions = ['A', 'B', 'C', 'VIP'].map((value) => ({ value }));

/** 新建/编辑客户, validated with customerInputSchema. */
export function CustomerFormModal({ open, customer, onClose, onSaved }: CustomerFormModalProps) {
  const [form] = Form.useForm<CustomerForm>();
  const { submitting, failure, run, reset } = useSubmit(form);

  useEffect(() => {
    if (!open) return;
    reset();
    form.resetFields();
    if (customer) {
      const { code, name, region, industry, grade, address, phone, department } = customer;
      form.setFieldsValue({ code, name, region, industry, grade, address, phone, department });
    }
  }, [open, customer, form, reset]);

  const submit = async () => {
    const values = await form.validateFields();
    const body = parseForm(form, customerInputSchema, {
      code: values.code ?? '',
      name: values.name ?? '',
      region: values.region ?? '',
      industry: values.industry ?? '',
      grade: values.grade ?? '',
      address: values.address ?? '',
      phone: values.phone ?? '',
      department: values.department ?? '',
    });
    if (!body) return;
    await run(async () => {
      onSaved(customer ? await updateCustomer(customer.id, body) : await createCustomer(body));
    });
  };

  return (
    <Modal
      open={open}
      title={customer ? `编辑客户 ${customer.name}` : '新建客户'}
      width={640}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText="保存"
      okButtonProps={{ id: 'customer-save' }}
      confirmLoading={submitting}
      destroyOnHidden
      modalRender={(node) => <div id="customer-modal">{node}</div>}
    >
      <Form form={form} layout="vertical" name="customer" style={{ marginTop: 16 }}>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="name" label="客户名称" required rules={[zodRule(fields.name)]}>
              <Input placeholder="公司或个人名称" maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="code" label="客户编码" rules={[zodRule(fields.code)]} extra="留空则自动生成，如 KH000001">
              <Input placeholder="选填" maxLength={32} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="region" label="所在地区" required rules={[zodRule(fields.region)]} extra="派工时按地区匹配工程师">
              <Input placeholder="例如 上海、杭州" maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="department" label="负责部门" rules={[zodRule(fields.department)]} extra="该部门的服务主管可以看到此客户的服务请求">
              <Input placeholder="例如 华东服务部" maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="industry" label="行业" rules={[zodRule(fields.industry)]}>
              <Input placeholder="选填" maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="grade" label="客户等级" rules={[zodRule(fields.grade)]}>
              <AutoComplete options={gradeOptions} placeholder="选填，如 A、B、C" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="phone" label="电话" rules={[zodRule(fields.phone)]}>
              <Input placeholder="选填" maxLength={30} />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="address" label="地址" rules={[zodRule(fields.address)]}>
              <Input placeholder="选填" maxLength={200} />
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {failure ? <Alert type="error" showIcon message={failure.message} /> : null}
    </Modal>
  );
}
