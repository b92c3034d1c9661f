import { useCallback, useState } from 'react';
import type { FormInstance } from 'antd';
import type { ApiError } from '../api/client';
import { toApiError } from './useRemote';
import { showServerFieldErrors } from './zodForm';

/**
 * Runs a form's save: a busy flag for the button, the server's field errors on the fields, any
 * other failure (409 conflict, network …) kept for an Alert in the form.
 */
export function useSubmit(form: FormInstance) {
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
        if (!showServerFieldErrors(form, apiError)) setFailure(apiError);
      } finally {
        setSubmitting(false);
      }
    },
    [form],
  );

  const reset = useCallback(() => setFailure(null), []);
  return { submitting, failure, run, reset };
}
