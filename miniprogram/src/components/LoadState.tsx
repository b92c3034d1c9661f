import { Button, Text, View } from '@tarojs/components';
import { defined } from '../utils/props';

/** The grey card shown instead of content that is still loading. */
export function Loading({ id }: { id?: string }) {
  return (
    <View {...defined({ id })} className='state'>
      <Text className='state__title'>加载中…</Text>
    </View>
  );
}

interface LoadFailedProps {
  id?: string;
  error: string;
  /** Adds a 重试 button. */
  onRetry?: () => void;
  retryId?: string;
  retryClassName?: string;
}

/** The card shown instead of content that could not be loaded. */
export function LoadFailed({ id, error, onRetry, retryId, retryClassName = 'actions__button' }: LoadFailedProps) {
  return (
    <View {...defined({ id })} className='state state--error'>
      <Text className='state__title'>加载失败</Text>
      <Text className='state__hint'>{error}</Text>
      {onRetry ? (
        <Button {...defined({ id: retryId })} className={retryClassName} size='mini' onClick={onRetry}>
          重试
        </Button>
      ) : null}
    </View>
  );
}

/** The card shown when there is nothing to list. */
export function Empty({ id, title, hint }: { id?: string; title: string; hint?: string }) {
  return (
    <View {...defined({ id })} className='state'>
      <Text className='state__title'>{title}</Text>
      {hint ? <Text className='state__hint'>{hint}</Text> : null}
    </View>
  );
}

interface FooterProps {
  state: { items: readonly unknown[]; total: number; loadingMore: boolean; moreError: string | null };
  moreId: string;
  onMore: () => void;
  errorClassName: string;
  /** The button's label after a failed "load more". */
  retryLabel?: string;
}

/** Under a paged list: 加载更多 while there is more, else the count. */
export function ListFooter({ state, moreId, onMore, errorClassName, retryLabel = '加载更多' }: FooterProps) {
  return (
    <View className='list-footer'>
      {state.moreError ? <Text className={errorClassName}>{state.moreError}</Text> : null}
      {state.items.length < state.total ? (
        // No `loading` prop: in H5 its spinner is inserted among React's children and breaks updates.
        <Button id={moreId} size='mini' disabled={state.loadingMore || undefined} onClick={onMore}>
          {state.loadingMore ? '加载中…' : state.moreError ? retryLabel : '加载更多'}
        </Button>
      ) : (
        <Text className='muted'>共 {state.total} 条，已全部加载</Text>
      )}
    </View>
  );
}
