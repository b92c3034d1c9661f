import { Alert, Button } from 'antd';
import type { ApiError } from '../api/client';

export interface ErrorAlertProps {
  error: ApiError | null;
  /** Shows a 重试 button. */
  onRetry?: () => void;
  title?: string;
}

/** The server's message for a failed load, with a retry. Nothing when there is no error. */
export function ErrorAlert({ error, onRetry, title = '加载失败' }: ErrorAlertProps) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className="api-error"
      message={title}
      description={error.message}
      style={{ marginBottom: 16 }}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            重试
          </Button>
        ) : undefined
      }
    />
  );
}
