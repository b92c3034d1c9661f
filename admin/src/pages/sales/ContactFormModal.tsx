import { useEffect } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import { contactInputSchema, type Contact } from '@qiao/shared';
import { createContact, updateContact } from '../../api/customers';
import { useSubmit } from '../../lib/useSubmit';
import { parseForm, zodRule } from '../../lib/zodForm';

export interface ContactFormModalProps {
  open: boolean;
  customerId: string;
  /** The contact to edit; null to add one. */
  contact: Contact | null;
  onClose: () => void;
  onSaved: (contact: Contact) => void;
}

interface ContactForm {
  name?: string;
  phone?: string;
  title?: string;
}

const fields = contactInputSchema.shape;

/** 新增/编辑联系人: the phone is what the person verifies with in WeChat. */
export function ContactFormModal({ open, customerId, contact, onClose, onSaved }: ContactFormModalProps) {
  const [form] = Form.useForm<ContactForm>();
  const { submitting, failure, run, reset } = useSubmit(form);

  useEffect(() => {
    if (!open) return;
    reset();
    form.resetFields();
    if (contact) form.setFieldsValue({ name: contact.name, phone: contact.phone, title: contact.title });
  }, [open, contact, form, reset]);

  const submit = async () => {
    const values = await form.validateFields();
    const body = parseForm(form, contactInputSchema, {
      customerId,
      name: values.name ?? '',
      phone: values.phone ?? '',
      title: values.title ?? '',
    });
    if (!body) return;
    await run(async () => {
      onSaved(contact ? await updateContact(contact.id, body) : await createContact(body));
    });
  };

  return (
    <Modal
      open={open}
      title={contact ? `编辑联系人 ${contact.name}` : '新增联系人'}
      onCancel={onClose}
      onOk={() => void submit().catch(() => undefined)}
      okText="保存"
      okButtonProps={{ id: 'contact-save' }}
      confirmLoading={submitting}
      destroyOnHidden
      modalRender={(node) => <div id="contact-modal">{node}</div>}
    >
      <Form form={form} layout="vertical" name="contact" style={{ marginTop: 16 }}>
        <Form.Item name="name" label="姓名" required rules={[zodRule(fields.name)]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="phone" label="手机号" required rules={[zodRule(fields.phone)]} extra="客户在微信中用此手机号完成身份验证">
          <Input maxLength={20} inputMode="tel" placeholder="11 位手机号" />
        </Form.Item>
        <Form.Item name="title" label="职务" rules={[zodRule(fields.title)]}>
          <Input placeholder="选填" maxLength={50} />
        </Form.Item>
      </Form>
      {failure ? <Alert type="error" showIcon message={failure.message} /> : null}
    </Modal>
  );
}
