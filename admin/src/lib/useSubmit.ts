import { useCallback, useState } from 'react';
import type { FormInstance } from 'antd';
import type { ApiError } from '../api/client';
import { toApiError } from './useRemote';
import { showServerFieldErrors } from './zodForm';

export interface SubmitOptions {
  /** A 400's field errors go on the form's fields instead of the Alert (default true). */
  fieldErrors?: boolean;
  /** Called when the server refuses with 409 (an action on stale data): the page reloads. */
  onRefused?: (error: ApiError) => void;
}

/**
 * Runs a form's save: a busy flag for the button, the server's field errors on the fields, any
 * other failure (409 conflict, network …) kept for an Alert in the form.
 */
export function useSubmit(form: FormInstance, { fieldErrors = true, onRefused }: SubmitOptions = {}) {
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);

  const run = useCallback(
    async (save: () => Promise<void>) => {
      setSubmitting(true);
      setFailure(null);
      try {
        await save();
      } catch (error) {
        const apiError = toApiError(error);
        if (!fieldErrors || !showServerFieldErrors(form, apiError)) setFailure(apiError);
        if (apiError.status === 409) onRefused?.(apiError);
      } finally {
        setSubmitting(false);
      }
    },
    [form, fieldErrors, onRefused],
  );

  const reset = useCallback(() => setFailure(null), []);
  return { submitting, failure, run, reset };
}
