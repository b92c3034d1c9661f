import { Button, Text, View } from '@tarojs/components';
import Taro, { useLoad, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { feedbackStatusLabels, feedbackTypeLabels, type FeedbackSummary } from '@qiao/shared';
import { excerpt, formatDateTime } from '../../utils/format';
import { useFeedbackList, type FeedbackListState } from './useFeedbackList';
import './index.css';

function FeedbackItem({ item }: { item: FeedbackSummary }) {
  return (
    <View className='feedback-item' id={`feedback-${item.id}`}>
      <View className='feedback-item__head'>
        <Text className='feedback-item__type'>{feedbackTypeLabels[item.type]}</Text>
        <Text className='feedback-item__number'>{item.number}</Text>
        <Text className={`feedback-item__status feedback-item__status--${item.status}`}>
          {feedbackStatusLabels[item.status]}
        </Text>
      </View>
      <Text className='feedback-item__desc'>{excerpt(item.description) || '（无描述）'}</Text>
      <Text className='feedback-item__date'>提交于 {formatDateTime(item.createdAt)}</Text>
    </View>
  );
}

interface ListProps {
  state: FeedbackListState;
  onRetry: () => void;
  onLoadMore: () => void;
}

function FeedbackListBody({ state, onRetry, onLoadMore }: ListProps) {
  if (state.status === 'loading') {
    return (
      <View id='feedback-loading' className='feedback-state'>
        <Text className='feedback-state__title'>加载中…</Text>
      </View>
    );
  }
  if (state.status === 'error') {
    return (
      <View id='feedback-error' className='feedback-state feedback-state--error'>
        <Text className='feedback-state__title'>加载失败</Text>
        <Text className='feedback-state__hint'>{state.error}</Text>
        <Button id='feedback-retry' className='feedback-state__button' size='mini' onClick={onRetry}>
          重试
        </Button>
      </View>
    );
  }
  if (state.items.length === 0) {
    return (
      <View id='feedback-empty' className='feedback-state'>
        <Text className='feedback-state__title'>暂无服务请求</Text>
        <Text className='feedback-state__hint'>设备有问题？提交服务请求后可在这里查看进度</Text>
      </View>
    );
  }
  const hasMore = state.items.length < state.total;
  return (
    <View id='feedback-list' className='feedback-list'>
      {state.items.map((item) => (
        <FeedbackItem key={item.id} item={item} />
      ))}
      <View className='feedback-list__footer'>
        {state.moreError ? <Text className='feedback-list__error'>{state.moreError}</Text> : null}
        {hasMore ? (
          // No `loading` prop: in H5 its spinner is inserted among React's children and breaks updates.
          <Button
            id='feedback-more'
            className='feedback-list__more'
            size='mini'
            disabled={state.loadingMore}
            onClick={onLoadMore}
          >
            {state.loadingMore ? '加载中…' : state.moreError ? '重新加载' : '加载更多'}
          </Button>
        ) : (
          <Text className='feedback-list__end'>共 {state.total} 条，已全部加载</Text>
        )}
      </View>
    </View>
  );
}

export default function IndexPage() {
  const { state, reload, loadMore } = useFeedbackList();

  useLoad(() => {
    void reload();
  });

  usePullDownRefresh(() => {
    void reload(true).finally(() => {
      void Taro.stopPullDownRefresh();
    });
  });

  useReachBottom(() => {
    void loadMore();
  });

  return (
    <View className='index-page'>
      <View className='index-page__header'>
        <Text className='index-page__title'>我的服务请求</Text>
        <Text className='index-page__subtitle'>报修、安装、投诉与建议的处理进度</Text>
      </View>
      <FeedbackListBody state={state} onRetry={() => void reload()} onLoadMore={() => void loadMore()} />
      <View className='index-page__actions'>
        {/* Submitting a service request comes in a later issue: shown, not yet usable. */}
        <Button id='feedback-submit' className='index-page__submit' type='primary' disabled>
          提交服务请求
        </Button>
        <Text className='index-page__soon'>在线提交功能即将开放</Text>
      </View>
    </View>
  );
}
