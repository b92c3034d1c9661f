import { useEffect, type DependencyList } from 'react';
import { Form, type FormInstance } from 'antd';
import { useSubmit, type SubmitOptions } from './useSubmit';

type Fill<T> = Parameters<FormInstance<T>['setFieldsValue']>[0];

export interface ModalFormOptions<T> extends SubmitOptions {
  /** Values put in the emptied fields each time the modal opens; nothing to leave them empty. */
  initialValues?: () => Fill<T> | null | undefined;
  /** What `initialValues` reads: a change while the modal is open fills the fields again. */
  deps?: DependencyList;
}

/**
 * The form of a modal: emptied (and filled with `initialValues`) whenever the modal opens, with
 * useSubmit's `run` for the save. `modal` is what FormModal takes.
 */
export function useModalForm<T>(open: boolean, { initialValues, deps = [], ...submitOptions }: ModalFormOptions<T> = {}) {
  const [form] = Form.useForm<T>();
  const { submitting, failure, run, reset } = useSubmit(form, submitOptions);

  useEffect(() => {
    if (!open) return;
    reset();
    form.resetFields();
    const values = initialValues?.();
    if (values) form.setFieldsValue(values);
    // `initialValues` is a fresh closure on every render; `deps` say when it really changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, form, reset, ...deps]);

  return { form, run, modal: { open, form, submitting, failure } };
}
