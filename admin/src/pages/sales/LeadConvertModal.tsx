// 线索转化: the lead becomes a customer (new, or an existing one the duplicate check found), a
// contact and, optionally, an opportunity — in one step. Amounts are typed in 元 and sent in 分.
import { useEffect, useState } from 'react';
import { Alert, Checkbox, Col, DatePicker, Divider, Empty, Flex, Form, InputNumber, Modal, Radio, Row, Space, Spin, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import {
  convertContactSchema,
  convertCustomerSchema,
  leadConvertSchema,
  leadStatusLabels,
  opportunityInputSchema,
  yuanToFen,
  type DuplicateMatch,
  type Lead,
  type LeadConvertInput,
  type LeadConvertResult,
} from '@qiao/shared';
import { checkDuplicates } from '../../api/leads';
import { convertLead } from '../../api/opportunities';
import type { ApiError } from '../../api/client';
import { CustomerSelect } from '../../components/CustomerSelect';
import { SchemaField } from '../../components/SchemaField';
import { toApiError, useRemote } from '../../lib/useRemote';

export interface LeadConvertModalProps {
  /** The lead to convert; null: closed. */
  lead: Lead | null;
  onClose: () => void;
  onConverted: (result: LeadConvertResult) => void;
}

interface ConvertForm {
  mode: 'new' | 'attach';
  customerId?: string;
  otherCustomerId?: string;
  customerName?: string;
  region?: string;
  industry?: string;
  customerPhone?: string;
  address?: string;
  contactName?: string;
  contactPhone?: string;
  contactTitle?: string;
  withOpportunity: boolean;
  opportunityName?: string;
  amountYuan?: number | null;
  expectedCloseAt?: Dayjs | null;
}

/** Where a problem of the request body is shown in this form. */
const fieldOf: Record<string, keyof ConvertForm> = {
  customerId: 'otherCustomerId',
  'customer.name': 'customerName',
  'customer.region': 'region',
  'customer.industry': 'industry',
  'customer.phone': 'customerPhone',
  'customer.address': 'address',
  customer: 'customerName',
  'contact.name': 'contactName',
  'contact.phone': 'contactPhone',
  'contact.title': 'contactTitle',
  'opportunity.name': 'opportunityName',
  'opportunity.amount': 'amountYuan',
  'opportunity.expectedCloseAt': 'expectedCloseAt',
};

/** A match the caller may attach to: one they may see, or one in the pool (it is claimed then). */
const attachable = (match: DuplicateMatch) => !match.masked || match.status === 'pool';

function MatchLabel({ match }: { match: DuplicateMatch }) {
  return (
    <Space size={6} wrap>
      <Typography.Text strong>{match.company || match.name || '（无名称）'}</Typography.Text>
      {match.status === 'pool' ? <Tag color="orange">公海</Tag> : <Tag>{match.ownerName ?? '未分配'}</Tag>}
      <Typography.Text type="secondary">相似度 {Math.round(match.score * 100)}%</Typography.Text>
      {match.phone ? <Typography.Text type="secondary">{match.phone}</Typography.Text> : null}
      {!attachable(match) ? <Typography.Text type="secondary">（无权关联）</Typography.Text> : null}
    </Space>
  );
}

function bodyOf(values: ConvertForm): LeadConvertInput {
  const customerId = values.mode === 'attach' ? values.customerId || values.otherCustomerId : undefined;
  return {
    ...(values.mode === 'attach'
      ? { customerId: customerId ?? '' }
      : {
          customer: {
            name: values.customerName ?? '',
            region: values.region ?? '',
            industry: values.industry ?? '',
            phone: values.customerPhone ?? '',
            address: values.address ?? '',
          },
        }),
    contact: { name: values.contactName ?? '', phone: values.contactPhone ?? '', title: values.contactTitle ?? '' },
    ...(values.withOpportunity
      ? {
          opportunity: {
            name: values.opportunityName ?? '',
            amount: yuanToFen(values.amountYuan ?? 0),
            expectedCloseAt: values.expectedCloseAt ? values.expectedCloseAt.format('YYYY-MM-DD') : null,
          },
        }
      : {}),
  };
}

export function LeadConvertModal({ lead, onClose, onConverted }: LeadConvertModalProps) {
  const [form] = Form.useForm<ConvertForm>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const open = Boolean(lead);
  const mode = Form.useWatch('mode', form);
  const withOpportunity = Form.useWatch('withOpportunity', form);

  // 撞单分析 of the lead's company and phone: existing customers it may belong to.
  const check = useRemote(
    (signal) =>
      lead
        ? checkDuplicates({ company: lead.company || undefined, phone: lead.phone || undefined, excludeLeadId: lead.id }, signal)
        : Promise.resolve(null),
    [lead?.id],
  );
  const customers = (check.data?.matches ?? []).filter((match) => match.kind === 'customer');
  const firstAttachable = customers.find(attachable);

  useEffect(() => {
    if (!lead) return;
    setFailure(null);
    form.resetFields();
    form.setFieldsValue({
      mode: 'new',
      customerName: lead.company || lead.name,
      region: lead.region,
      industry: lead.industry,
      contactName: lead.name,
      contactPhone: lead.phone,
      withOpportunity: true,
      opportunityName: [lead.company || lead.name, lead.products.join('、')].filter(Boolean).join(' - ').slice(0, 100),
      amountYuan: null,
      expectedCloseAt: null,
    });
  }, [lead, form]);

  // A match found: offer it first.
  useEffect(() => {
    if (open && firstAttachable && !form.getFieldValue('customerId')) form.setFieldsValue({ mode: 'attach', customerId: firstAttachable.id });
  }, [open, firstAttachable, form]);

  const submit = async () => {
    if (!lead) return;
    const values = await form.validateFields();
    const parsed = leadConvertSchema.safeParse(bodyOf(values));
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => ({ name: fieldOf[issue.path.join('.')] ?? 'customerName', errors: [issue.message] }));
      form.setFields(fields);
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      onConverted(await convertLead(lead.id, bodyOf(values)));
    } catch (error) {
      setFailure(toApiError(error));
    } finally {
      setSaving(false);
    }
  };

  const customerFields = convertCustomerSchema.shape;
  const contactFields = convertContactSchema.shape;
  return (
    <Modal
      open={open}
      title={lead ? `线索转化 · ${lead.company || lead.name}` : '线索转化'}
      width={720}
      okText="转化"
      okButtonProps={{ id: 'convert-submit', loading: saving }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(node) => <div id="lead-convert-modal">{node}</div>}
    >
      {lead && lead.status !== 'assigned' && lead.status !== 'following' ? (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={`线索当前为「${leadStatusLabels[lead.status]}」，转化前需分配给销售人员`} />
      ) : null}
      <Form form={form} layout="vertical" name="convert" initialValues={{ mode: 'new', withOpportunity: true }}>
        <Typography.Title level={5}>客户</Typography.Title>
        <div id="convert-duplicates" style={{ marginBottom: 12 }}>
          {check.loading ? (
            <Spin size="small" />
          ) : check.error ? (
            <Typography.Text type="secondary">撞单检查失败：{check.error.message}</Typography.Text>
          ) : customers.length ? (
            <Typography.Text type="warning">撞单检查发现 {customers.length} 个相似客户，可关联到已有客户</Typography.Text>
          ) : (
            <Typography.Text type="secondary">撞单检查未发现相似客户</Typography.Text>
          )}
        </div>
        <Form.Item name="mode">
          <Radio.Group
            options={[
              { value: 'new', label: <span id="convert-mode-new">新建客户</span> },
              { value: 'attach', label: <span id="convert-mode-attach">关联已有客户</span> },
            ]}
          />
        </Form.Item>
        {mode === 'attach' ? (
          <>
            {customers.length ? (
              <Form.Item name="customerId" label="撞单检查找到的客户">
                <Radio.Group style={{ width: '100%' }} onChange={() => form.setFieldsValue({ otherCustomerId: undefined })}>
                  <Flex vertical gap={6}>
                    {customers.map((match) => (
                      <Radio key={match.id} value={match.id} id={`convert-customer-${match.id}`} disabled={!attachable(match)}>
                        <MatchLabel match={match} />
                      </Radio>
                    ))}
                  </Flex>
                </Radio.Group>
              </Form.Item>
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有相似客户，可搜索其他客户" style={{ margin: '8px 0' }} />
            )}
            <Form.Item name="otherCustomerId" label="或搜索其他客户" extra="公海客户关联后由线索负责人申领">
              <CustomerSelect id="convert-other-customer" onChange={(value) => form.setFieldsValue({ otherCustomerId: value, customerId: undefined })} />
            </Form.Item>
          </>
        ) : (
          <Row gutter={16}>
            <SchemaField span={12} name="customerName" label="客户名称" required schema={customerFields.name} maxLength={100} />
            <SchemaField span={12} name="region" label="所在地区" required schema={customerFields.region} placeholder="例如 杭州" maxLength={50} />
            <SchemaField span={12} name="industry" label="行业" schema={customerFields.industry} placeholder="选填" maxLength={50} />
            <SchemaField span={12} name="customerPhone" label="电话" schema={customerFields.phone} placeholder="选填" maxLength={30} />
            <SchemaField span={24} name="address" label="地址" schema={customerFields.address} placeholder="选填" maxLength={200} />
            <Col span={24}>
              <Typography.Text type="secondary">客户编码自动生成；负责销售为线索负责人，营销方案与传播路径随线索保留在客户上。</Typography.Text>
            </Col>
          </Row>
        )}
        <Divider />
        <Typography.Title level={5}>联系人</Typography.Title>
        <Row gutter={16}>
          <SchemaField span={8} name="contactName" label="姓名" required schema={contactFields.name} maxLength={50} />
          <SchemaField span={8} name="contactPhone" label="手机号" required schema={contactFields.phone} maxLength={20} />
          <SchemaField span={8} name="contactTitle" label="职务" schema={contactFields.title} placeholder="选填" maxLength={50} />
        </Row>
        <Divider />
        <Form.Item name="withOpportunity" valuePropName="checked">
          <Checkbox id="convert-with-opportunity">同时创建商机</Checkbox>
        </Form.Item>
        {withOpportunity ? (
          <Row gutter={16}>
            <SchemaField span={12} name="opportunityName" label="商机名称" required schema={opportunityInputSchema.shape.name} maxLength={100} />
            <Col span={6}>
              <Form.Item name="amountYuan" label="预计金额（元）">
                <InputNumber id="convert-amount" min={0} max={10_000_000_000} precision={2} style={{ width: '100%' }} placeholder="0.00" />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item name="expectedCloseAt" label="预计成交日期">
                <DatePicker id="convert-expected" style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        ) : null}
      </Form>
      {failure ? <Alert type="error" showIcon message={failure.message} /> : null}
    </Modal>
  );
}
