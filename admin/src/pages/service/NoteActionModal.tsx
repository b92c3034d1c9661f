import { useEffect, useState, type ReactNode } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import type { ApiError } from '../../api/client';
import { parseForm, type Parser } from '../../lib/zodForm';
import { toApiError } from '../../lib/useRemote';

export interface NoteActionModalProps<T> {
  open: boolean;
  /** Prefix of the element ids: `${id}-modal`, `${id}-text` (unless textId), `${id}-confirm`. */
  id: string;
  textId?: string;
  /** Shown above the text field (what the action is about). */
  intro?: ReactNode;
  title: string;
  label: string;
  placeholder: string;
  maxLength: number;
  okText: string;
  danger?: boolean;
  /** The request body schema with a single text field named `field`. */
  schema: Parser<T>;
  field: string;
  onSubmit: (body: T) => Promise<void>;
  onClose: () => void;
  /** A refused action (409 …): the page reloads its data. */
  onRefused?: (error: ApiError) => void;
}

/** A confirmation with one required text (reason, note), validated by the shared schema. */
export function NoteActionModal<T>(props: NoteActionModalProps<T>) {
  const { open, id, textId, intro, title, label, placeholder, maxLength, okText, danger, schema, field, onSubmit, onClose, onRefused } = props;
  const [form] = Form.useForm<Record<string, string>>();
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);

  useEffect(() => {
    if (open) {
      form.resetFields();
      setFailure(null);
    }
  }, [open, form]);

  const submit = async () => {
    const values = form.getFieldsValue();
    const body = parseForm(form, schema, { [field]: values[field] ?? '' });
    if (!body) return;
    setSubmitting(true);
    setFailure(null);
    try {
      await onSubmit(body);
    } catch (error) {
      const apiError = toApiError(error);
      setFailure(apiError);
      if (apiError.status === 409) onRefused?.(apiError);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      onOk={submit}
      okText={okText}
      okButtonProps={{ id: `${id}-confirm`, danger }}
      confirmLoading={submitting}
      destroyOnHidden
      modalRender={(node) => <div id={`${id}-modal`}>{node}</div>}
    >
      {intro}
      <Form form={form} layout="vertical">
        <Form.Item name={field} label={label} required>
          <Input.TextArea id={textId ?? `${id}-text`} rows={4} maxLength={maxLength} showCount placeholder={placeholder} />
        </Form.Item>
      </Form>
      {failure ? <Alert type="error" showIcon message={failure.message} /> : null}
    </Modal>
  );
}
