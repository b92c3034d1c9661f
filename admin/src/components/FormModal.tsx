import type { ReactNode } from 'react';
import { Alert, Form, Modal, type FormInstance } from 'antd';
import type { ApiError } from '../api/client';

export interface FormModalProps<T> {
  /** The form's name: ids `<name>-modal`, `<name>-save` and `<name>_<field>` for the fields. */
  name: string;
  open: boolean;
  title: string;
  width?: number;
  form: FormInstance<T>;
  submitting: boolean;
  /** A failed save that is not on a field (409, network …). */
  failure: ApiError | null;
  /** Validates and saves; a rejection (fields left invalid) keeps the modal open. */
  onSubmit: () => Promise<void>;
  onClose: () => void;
  children: ReactNode;
}

/** A create/edit modal with a vertical form and a 保存 button; takes useModalForm's `modal`. */
export function FormModal<T>({ name, open, title, width, form, submitting, failure, onSubmit, onClose, children }: FormModalProps<T>) {
  return (
    <Modal
      open={open}
      title={title}
      width={width}
      onCancel={onClose}
      onOk={() => void onSubmit().catch(() => undefined)}
      okText="保存"
      okButtonProps={{ id: `${name}-save` }}
      confirmLoading={submitting}
      destroyOnHidden
      modalRender={(node) => <div id={`${name}-modal`}>{node}</div>}
    >
      <Form form={form} layout="vertical" name={name} style={{ marginTop: 16 }}>
        {children}
      </Form>
      {failure ? <Alert type="error" showIcon message={failure.message} /> : null}
    </Modal>
  );
}
