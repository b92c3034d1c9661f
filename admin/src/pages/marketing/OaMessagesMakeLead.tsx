// 转为线索 from a conversation: the lead form opened prefilled. It has the props of the leads
// page's LeadFormModal (sales/LeadFormModal.tsx — with the duplicate check shown in the form);
// where that form is available this file is just:
//   export { LeadFormModal as OaMakeLeadModal } from '../sales/LeadFormModal';
import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { leadInputSchema, type Lead, type LeadInput } from '@qiao/shared';
import { createLeadFromConversation } from '../../api/oa-messages';
import { toApiError } from '../../lib/useRemote';

export interface OaMakeLeadModalProps {
  open: boolean;
  /** Prefilled values of the new lead (with the follower's wechatUserId). */
  initial?: Partial<LeadInput>;
  onClose: () => void;
  onSaved: (lead: Lead) => void;
}

interface Values {
  name: string;
  company: string;
  phone: string;
  notes: string;
}

export function OaMakeLeadModal({ open, initial, onClose, onSaved }: OaMakeLeadModalProps) {
  const [form] = Form.useForm<Values>();
  const [failure, setFailure] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!open) return;
    setFailure(null);
    form.setFieldsValue({ name: initial?.name ?? '', company: initial?.company ?? '', phone: initial?.phone ?? '', notes: initial?.notes ?? '' });
  }, [open, initial, form]);

  const save = async () => {
    const values = await form.validateFields();
    const parsed = leadInputSchema.safeParse({ ...values, ...(initial?.wechatUserId ? { wechatUserId: initial.wechatUserId } : {}) });
    if (!parsed.success) {
      setFailure(parsed.error.issues[0]?.message ?? '请检查填写的内容');
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      onSaved(await createLeadFromConversation(parsed.data));
    } catch (error) {
      const apiError = toApiError(error);
      const matches = (apiError.data as { matches?: unknown[] } | undefined)?.matches;
      setFailure(apiError.code === 'LEAD_DUPLICATE' && Array.isArray(matches) ? `${apiError.message}（${matches.length} 条相似记录，请到线索页查重）` : apiError.message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open={open} title="转为线索" okText="保存线索" cancelText="取消" onOk={() => void save()} onCancel={onClose} confirmLoading={saving} okButtonProps={{ id: 'lead-form-submit' }} destroyOnHidden>
      <Form form={form} layout="vertical" style={{ marginTop: 16 }}>
        <Form.Item name="name" label="联系人姓名" rules={[{ required: true, message: '请填写联系人姓名' }]}>
          <Input id="lead-form-name" maxLength={50} />
        </Form.Item>
        <Form.Item name="company" label="公司名称">
          <Input id="lead-form-company" maxLength={100} />
        </Form.Item>
        <Form.Item name="phone" label="手机号">
          <Input id="lead-form-phone" maxLength={20} />
        </Form.Item>
        <Form.Item name="notes" label="备注">
          <Input.TextArea id="lead-form-notes" rows={4} maxLength={1000} showCount />
        </Form.Item>
      </Form>
      {failure ? <Alert type="error" showIcon message={failure} /> : null}
    </Modal>
  );
}
