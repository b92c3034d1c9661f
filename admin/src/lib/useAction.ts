import { useCallback, useState } from 'react';
import type { ApiError } from '../api/client';
import { toApiError } from './useRemote';

/** An action of a modal without a form: a busy flag for its button, a failure kept for an Alert. */
export function useAction() {
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);

  const run = useCallback(async (action: () => Promise<void>) => {
    setSaving(true);
    setFailure(null);
    try {
      await action();
    } catch (error) {
      setFailure(toApiError(error));
    } finally {
      setSaving(false);
    }
  }, []);

  const reset = useCallback(() => setFailure(null), []);
  return { saving, failure, run, reset };
}
