// 新建商机: customer (fixed on the customer 360 page), name, amount in 元 (stored in 分), expected close
// date, stage and — for managers and admin — the salesperson in charge. Checked with the shared schema.
import { useEffect, useState } from 'react';
import { Alert, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { opportunityCreateSchema, opportunityStageLabels, opportunityStages, yuanToFen, type Opportunity, type OpportunityStage } from '@qiao/shared';
import { createOpportunity } from '../../api/opportunities';
import { listPoolOwners } from '../../api/pool';
import type { ApiError } from '../../api/client';
import { CustomerSelect } from '../../components/CustomerSelect';
import { toApiError, useRemote } from '../../lib/useRemote';

interface CreateForm {
  customerId?: string;
  name?: string;
  amountYuan?: number | null;
  expectedCloseAt?: Dayjs | null;
  stage?: OpportunityStage;
  ownerId?: string;
  lostReason?: string;
}

export interface OpportunityCreateModalProps {
  open: boolean;
  /** On a customer's page: the customer is given. */
  customer?: { id: string; name: string };
  /** Managers and admin may name the salesperson in charge. */
  namesOwner: boolean;
  onClose: () => void;
  onSaved: (saved: Opportunity) => void;
}

const stageOptions = opportunityStages.map((value) => ({ value, label: opportunityStageLabels[value] }));
const fieldOf: Record<string, keyof CreateForm> = { amount: 'amountYuan', customerId: 'customerId', expectedCloseAt: 'expectedCloseAt', stage: 'stage', ownerId: 'ownerId', lostReason: 'lostReason' };

export function OpportunityCreateModal({ open, customer, namesOwner, onClose, onSaved }: OpportunityCreateModalProps) {
  const [form] = Form.useForm<CreateForm>();
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const owners = useRemote((signal) => (open && namesOwner ? listPoolOwners(signal) : Promise.resolve(null)), [open, namesOwner]);
  const stage = Form.useWatch('stage', form);
  useEffect(() => {
    if (!open) return;
    setFailure(null);
    form.resetFields();
    form.setFieldsValue({ customerId: customer?.id, stage: 'open' });
  }, [open, customer, form]);

  const submit = async () => {
    const values = await form.validateFields();
    const parsed = opportunityCreateSchema.safeParse({
      customerId: customer?.id ?? values.customerId ?? '',
      name: (values.name ?? '').trim(),
      amount: yuanToFen(values.amountYuan ?? 0),
      expectedCloseAt: values.expectedCloseAt ? values.expectedCloseAt.format('YYYY-MM-DD') : null,
      stage: values.stage ?? 'open',
      ...(values.ownerId ? { ownerId: values.ownerId } : {}),
      lostReason: (values.lostReason ?? '').trim(),
    });
    if (!parsed.success) {
      form.setFields(parsed.error.issues.map((issue) => ({ name: fieldOf[String(issue.path[0])] ?? 'name', errors: [issue.message] })));
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      onSaved(await createOpportunity(parsed.data));
    } catch (error) {
      setFailure(toApiError(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={customer ? `新建商机 · ${customer.name}` : '新建商机'}
      okText="创建"
      okButtonProps={{ id: 'opportunity-create-save', loading: saving }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(node) => <div id="opportunity-create-modal">{node}</div>}
    >
      <Form form={form} layout="vertical" name="opportunity-create" style={{ marginTop: 16 }}>
        <Form.Item name="customerId" label="客户" required rules={[{ required: true, message: '请选择客户' }]}>
          <CustomerSelect id="opportunity-create-customer" disabled={Boolean(customer)} initialLabel={customer?.name} />
        </Form.Item>
        <Form.Item name="name" label="商机名称" required rules={[{ required: true, whitespace: true, message: '请填写商机名称' }]}>
          <Input id="opportunity-create-name" maxLength={100} />
        </Form.Item>
        <Form.Item name="amountYuan" label="预计金额（元）">
          <InputNumber id="opportunity-create-amount" min={0} max={10_000_000_000} precision={2} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="expectedCloseAt" label="预计成交日期">
          <DatePicker id="opportunity-create-expected" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="stage" label="阶段">
          <Select id="opportunity-create-stage" options={stageOptions} />
        </Form.Item>
        {stage === 'lost' ? (
          <Form.Item name="lostReason" label="输单原因" required rules={[{ required: true, whitespace: true, message: '输单请填写原因' }]}>
            <Input.TextArea id="opportunity-create-lost-reason" rows={2} maxLength={200} />
          </Form.Item>
        ) : null}
        {namesOwner ? (
          <Form.Item name="ownerId" label="负责销售" extra="不选时：经理为本人；管理员为客户的专管业务员">
            <Select
              id="opportunity-create-owner"
              allowClear
              showSearch
              optionFilterProp="label"
              loading={owners.loading}
              options={(owners.data ?? []).map((owner) => ({ value: owner.id, label: `${owner.name}（${owner.departmentName || '未分配部门'}）` }))}
            />
          </Form.Item>
        ) : null}
      </Form>
      {failure ? <Alert type="error" showIcon message={failure.message} /> : null}
    </Modal>
  );
}
