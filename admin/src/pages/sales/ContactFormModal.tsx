import { Form, Input, Select } from 'antd';
import { contactInputSchema, type Contact } from '@qiao/shared';
import { createContact, updateContact } from '../../api/customers';
import { FormModal } from '../../components/FormModal';
import { SchemaField } from '../../components/SchemaField';
import { useModalForm } from '../../lib/useModalForm';
import { parseForm, textValues, zodRule } from '../../lib/zodForm';

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
  tags?: string[];
}

const fields = contactInputSchema.shape;
/** The tags as a whole: one message for a tag too long or too many of them. */
const tagsSchema = fields.tags.unwrap().default([]);
const textFields = ['name', 'phone', 'title'] as const;

/** 新增/编辑联系人: the phone is what the person verifies with in WeChat. */
export function ContactFormModal({ open, customerId, contact, onClose, onSaved }: ContactFormModalProps) {
  const { form, run, modal } = useModalForm<ContactForm>(open, {
    initialValues: () => (contact ? { ...textValues(contact, textFields), tags: contact.tags } : { tags: [] }),
    deps: [contact],
  });

  const submit = async () => {
    const values = await form.validateFields();
    const body = parseForm(form, contactInputSchema, { customerId, ...textValues(values, textFields), tags: values.tags ?? [] });
    if (!body) return;
    await run(async () => {
      onSaved(contact ? await updateContact(contact.id, body) : await createContact(body));
    });
  };

  return (
    <FormModal {...modal} name="contact" title={contact ? `编辑联系人 ${contact.name}` : '新增联系人'} onSubmit={submit} onClose={onClose}>
      <SchemaField name="name" label="姓名" required schema={fields.name} maxLength={50} />
      <SchemaField name="phone" label="手机号" required schema={fields.phone} extra="客户在微信中用此手机号完成身份验证">
        <Input maxLength={20} inputMode="tel" placeholder="11 位手机号" />
      </SchemaField>
      <SchemaField name="title" label="职务" schema={fields.title} placeholder="选填" maxLength={50} />
      <Form.Item name="tags" label="标签" rules={[zodRule(tagsSchema)]} extra="输入后按回车添加，客户细分可按标签圈选营销对象">
        <Select id="contact-tags" mode="tags" tokenSeparators={[',', '，', ' ']} placeholder="例如 重点客户、展会" notFoundContent={null} suffixIcon={null} maxCount={20} />
      </Form.Item>
    </FormModal>
  );
}
