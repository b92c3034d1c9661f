// 商机 edits: name, amount (typed in 元, stored in 分) and expected close date while open; 输单 with a reason.
import { useEffect, useState } from 'react';
import { Alert, DatePicker, Form, Input, InputNumber, Modal } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { fenToYuan, opportunityLostSchema, opportunityPatchSchema, yuanToFen, type Opportunity } from '@qiao/shared';
import { markOpportunityLost, updateOpportunity } from '../../api/opportunities';
import type { ApiError } from '../../api/client';
import { toApiError } from '../../lib/useRemote';
import { zodRule } from '../../lib/zodForm';

interface EditForm {
  name?: string;
  amountYuan?: number | null;
  expectedCloseAt?: Dayjs | null;
}

/** Runs a save with a busy flag and keeps its failure for the Alert. */
function useSave() {
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const run = async (save: () => Promise<void>) => {
    setSaving(true);
    setFailure(null);
    try {
      await save();
    } catch (error) {
      setFailure(toApiError(error));
    } finally {
      setSaving(false);
    }
  };
  return { saving, failure, run, clear: () => setFailure(null) };
}

export function OpportunityEditModal({ opportunity, onClose, onSaved }: { opportunity: Opportunity | null; onClose: () => void; onSaved: (saved: Opportunity) => void }) {
  const [form] = Form.useForm<EditForm>();
  const { saving, failure, run, clear } = useSave();
  useEffect(() => {
    if (!opportunity) return;
    clear();
    form.setFieldsValue({
      name: opportunity.name,
      amountYuan: fenToYuan(opportunity.amount),
      expectedCloseAt: opportunity.expectedCloseAt ? dayjs(opportunity.expectedCloseAt) : null,
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opportunity, form]);

  const submit = async () => {
    if (!opportunity) return;
    const values = await form.validateFields();
    const patch = opportunityPatchSchema.safeParse({
      name: values.name ?? '',
      amount: yuanToFen(values.amountYuan ?? 0),
      expectedCloseAt: values.expectedCloseAt ? values.expectedCloseAt.format('YYYY-MM-DD') : null,
    });
    if (!patch.success) {
      const fieldOf = (key: PropertyKey | undefined) => (key === 'amount' ? 'amountYuan' : key === 'expectedCloseAt' ? 'expectedCloseAt' : 'name');
      form.setFields(patch.error.issues.map((issue) => ({ name: fieldOf(issue.path[0]), errors: [issue.message] })));
      return;
    }
    await run(async () => onSaved(await updateOpportunity(opportunity.id, patch.data)));
  };

  return (
    <Modal
      open={Boolean(opportunity)}
      title={opportunity ? `编辑商机 · ${opportunity.name}` : '编辑商机'}
      okText="保存"
      okButtonProps={{ id: 'opportunity-form-save', loading: saving }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
      modalRender={(node) => <div id="opportunity-form-modal">{node}</div>}
    >
      <Form form={form} layout="vertical" name="opportunity" style={{ marginTop: 16 }}>
        <Form.Item name="name" label="商机名称" required rules={[zodRule(opportunityPatchSchema.shape.name.unwrap())]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="amountYuan" label="预计金额（元）">
          <InputNumber id="opportunity-amount" min={0} max={10_000_000_000} precision={2} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="expectedCloseAt" label="预计成交日期">
          <DatePicker id="opportunity-expected" style={{ width: '100%' }} />
        </Form.Item>
      </Form>
      {failure ? <Alert type="error" showIcon message={failure.message} /> : null}
    </Modal>
  );
}

export function OpportunityLostModal({ opportunity, onClose, onSaved }: { opportunity: Opportunity | null; onClose: () => void; onSaved: (saved: Opportunity) => void }) {
  const [form] = Form.useForm<{ reason?: string }>();
  const { saving, failure, run, clear } = useSave();
  useEffect(() => {
    if (!opportunity) return;
    clear();
    form.resetFields();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opportunity, form]);

  const submit = async () => {
    if (!opportunity) return;
    const values = await form.validateFields();
    await run(async () => onSaved(await markOpportunityLost(opportunity.id, (values.reason ?? '').trim())));
  };

  return (
    <Modal
      open={Boolean(opportunity)}
      title={opportunity ? `输单 · ${opportunity.name}` : '输单'}
      okText="确认输单"
      okButtonProps={{ id: 'opportunity-lost-submit', danger: true, loading: saving }}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="opportunity-lost" style={{ marginTop: 16 }}>
        <Form.Item name="reason" label="输单原因" required rules={[zodRule(opportunityLostSchema.shape.reason)]}>
          <Input.TextArea id="opportunity-lost-reason" rows={3} maxLength={200} showCount placeholder="例如 预算取消、选择了竞品" />
        </Form.Item>
      </Form>
      {failure ? <Alert type="error" showIcon message={failure.message} /> : null}
    </Modal>
  );
}
