import { useState, type Dispatch, type SetStateAction } from 'react';
import { errorMessage } from '../api/request';
import { serverFieldErrors, without, type Checked, type FieldErrors } from '../utils/form';

type Passed<T> = Extract<Checked<T>, { ok: true }>;
type SetBusy = Dispatch<SetStateAction<boolean>>;

/** What every form keeps: field errors, the message under the form, and whether it is being sent. */
export function useForm() {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  /** About to send: clears errors and message, marks the form (or the flag given) busy. */
  function begin(setBusy: SetBusy = setSubmitting): void {
    setErrors({});
    setMessage(null);
    setBusy(true);
  }

  /** A failed check shows its field errors and answers false; a passed one begins sending. */
  function start<T>(checked: Checked<T>, setBusy: SetBusy = setSubmitting): checked is Passed<T> {
    if (!checked.ok) {
      setErrors(checked.errors);
      return false;
    }
    begin(setBusy);
    return true;
  }

  /** Errors found before sending, with the message that asks to check them. */
  function invalid(found: FieldErrors): void {
    setErrors(found);
    setMessage('请检查填写的内容');
  }

  /** Sending failed: the server's field errors and message (or `text`); the form may be sent again. */
  function fail(error: unknown, text = errorMessage(error)): void {
    setErrors(serverFieldErrors(error));
    setMessage(text);
    setSubmitting(false);
  }

  /** A changed field loses its error. */
  function edited(key: string): void {
    setErrors((prev) => without(prev, key));
  }

  return { errors, message, setMessage, submitting, setSubmitting, begin, start, invalid, fail, edited };
}
