import type { ReactNode } from 'react';
import { Alert, Form, Input, Modal } from 'antd';
import type { ApiError } from '../../api/client';
import { useModalForm } from '../../lib/useModalForm';
import { parseForm, textValues, type Parser } from '../../lib/zodForm';

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
  const { form, run, modal: { submitting, failure } } = useModalForm<Record<string, string>>(open, { fieldErrors: false, onRefused });

  const submit = async () => {
    const body = parseForm(form, schema, textValues(form.getFieldsValue(), [field]));
    if (!body) return;
    await run(() => onSubmit(body));
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
