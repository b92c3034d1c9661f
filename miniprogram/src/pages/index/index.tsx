import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad, usePullDownRefresh, useReachBottom } from '@tarojs/taro';
import { useRef } from 'react';
import { feedbackStatusLabels, feedbackTypeLabels, type FeedbackSummary } from '@qiao/shared';
import { errorMessage } from '../../api/request';
import { currentUser } from '../../api/session';
import { excerpt, formatDateTime } from '../../utils/format';
import { open, routes, toast, withQuery } from '../../utils/nav';
import { useFeedbackList, type FeedbackListState } from './useFeedbackList';
import './index.css';

function FeedbackItem({ item }: { item: FeedbackSummary }) {
  return (
    <View
      className='feedback-item'
      id={`feedback-${item.id}`}
      onClick={() => open(withQuery(routes.feedbackDetail, { id: item.id }))}
    >
      <View className='feedback-item__head'>
        <Text className='feedback-item__type'>{feedbackTypeLabels[item.type]}</Text>
        <Text className='feedback-item__number'>{item.number}</Text>
        <Text className={`feedback-item__status feedback-item__status--${item.status}`}>
          {feedbackStatusLabels[item.status]}
        </Text>
      </View>
      <Text className='feedback-item__desc'>{excerpt(item.description) || '（无描述）'}</Text>
      <View className='feedback-item__foot'>
        <Text className='feedback-item__date'>提交于 {formatDateTime(item.createdAt)}</Text>
        <Text className='feedback-item__more'>查看详情 ›</Text>
      </View>
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
            disabled={state.loadingMore || undefined}
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

/** Tapping 提交服务请求: unverified customers verify first. */
async function startFeedback(): Promise<void> {
  try {
    const user = await currentUser();
    open(user.verified ? routes.feedbackNew : withQuery(routes.verify, { next: 'feedback' }));
  } catch (error) {
    toast(errorMessage(error));
  }
}

export default function IndexPage() {
  const { state, reload, loadMore } = useFeedbackList();
  const shown = useRef(false);

  useLoad(() => {
    // Staff bound by invite code get the engineer pages.
    currentUser().then(
      (user) => {
        if (user.staff) void Taro.reLaunch({ url: routes.engineerOrders });
        else void reload();
      },
      () => void reload(),
    );
  });

  useDidShow(() => {
    // Coming back (e.g. after submitting): refresh without hiding the list.
    if (shown.current) void reload(true);
    shown.current = true;
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
        <View className='index-page__heading'>
          <Text className='index-page__title'>我的服务请求</Text>
          <Text className='index-page__subtitle'>报修、安装、投诉与建议的处理进度</Text>
        </View>
        <View id='index-me' className='index-page__me' onClick={() => open(routes.me)}>
          <Text>我的</Text>
        </View>
      </View>
      <FeedbackListBody state={state} onRetry={() => void reload()} onLoadMore={() => void loadMore()} />
      <View className='index-page__actions'>
        <Button id='feedback-submit' className='index-page__submit' type='primary' onClick={() => void startFeedback()}>
          提交服务请求
        </Button>
      </View>
    </View>
  );
}
