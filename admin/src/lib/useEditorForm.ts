import { useModalForm, type ModalFormOptions } from './useModalForm';
import { parseForm, type Parser } from './zodForm';

export interface EditorFormOptions<T, I, R> extends ModalFormOptions<T> {
  /** The API's input schema: the whole input is checked before saving, its problems shown on the fields. */
  schema: Parser<I>;
  /** The API's input from the validated fields. */
  input: (values: T) => unknown;
  create: (input: I) => Promise<R>;
  /** Saves an existing record; null when the drawer creates one. */
  update: ((input: I) => Promise<R>) | null;
  onSaved: (saved: R, created: boolean) => void;
}

/**
 * The form of a create/edit drawer and its save: the fields validated, the input parsed with the
 * shared schema, then created or updated. `editor` is what EditorDrawer takes.
 */
export function useEditorForm<T, I, R>(open: boolean, { schema, input, create, update, onSaved, ...modalOptions }: EditorFormOptions<T, I, R>) {
  const { form, run, modal } = useModalForm<T>(open, modalOptions);

  const onSubmit = async () => {
    const values = await form.validateFields();
    const body = parseForm(form, schema, input(values));
    if (!body) return;
    await run(async () => {
      if (update) onSaved(await update(body), false);
      else onSaved(await create(body), true);
    });
  };

  return { form, editor: { open, submitting: modal.submitting, failure: modal.failure, onSubmit } };
}
