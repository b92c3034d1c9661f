import { Button, Text, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad, useReachBottom } from '@tarojs/taro';
import { useRef } from 'react';
import { feedbackStatusLabels, feedbackTypeLabels, type FeedbackSummary } from '@qiao/shared';
import { listMyFeedbacks } from '../../api/feedbacks';
import { errorMessage } from '../../api/request';
import { currentUser } from '../../api/session';
import { Empty, ListFooter, LoadFailed, Loading } from '../../components/LoadState';
import { usePagedList, type PagedListState } from '../../hooks/usePagedList';
import { usePullRefresh } from '../../hooks/usePullRefresh';
import { excerpt, formatDateTime } from '../../utils/format';
import { open, routes, toast, withQuery } from '../../utils/nav';
import './index.css';

const fetchFeedbacks = (_query: null, page: number, pageSize: number) => listMyFeedbacks(page, pageSize);

function FeedbackItem({ item }: { item: FeedbackSummary }) {
  return (
    <View
      className='card feedback-item'
      id={`feedback-${item.id}`}
      onClick={() => open(withQuery(routes.feedbackDetail, { id: item.id }))}
    >
      <View className='row'>
        <Text className='feedback-item__type'>{feedbackTypeLabels[item.type]}</Text>
        <Text className='feedback-item__number'>{item.number}</Text>
        <Text className={`status-text status-text--${item.status} feedback-item__status`}>
          {feedbackStatusLabels[item.status]}
        </Text>
      </View>
      <Text className='text feedback-item__desc'>{excerpt(item.description) || '（无描述）'}</Text>
      <View className='row row--between'>
        <Text className='muted feedback-item__date'>提交于 {formatDateTime(item.createdAt)}</Text>
        <Text className='feedback-item__more'>查看详情 ›</Text>
      </View>
    </View>
  );
}

interface ListProps {
  state: PagedListState<FeedbackSummary, null>;
  onRetry: () => void;
  onLoadMore: () => void;
}

function FeedbackListBody({ state, onRetry, onLoadMore }: ListProps) {
  if (state.status === 'loading') return <Loading id='feedback-loading' />;
  if (state.status === 'error') {
    return <LoadFailed id='feedback-error' error={state.error ?? ''} onRetry={onRetry} retryId='feedback-retry' retryClassName='index-page__retry' />;
  }
  if (state.items.length === 0) {
    return <Empty id='feedback-empty' title='暂无服务请求' hint='设备有问题？提交服务请求后可在这里查看进度' />;
  }
  return (
    <View id='feedback-list' className='feedback-list'>
      {state.items.map((item) => (
        <FeedbackItem key={item.id} item={item} />
      ))}
      <ListFooter state={state} moreId='feedback-more' onMore={onLoadMore} errorClassName='feedback-list__error' retryLabel='重新加载' />
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
  const { state, load, loadMore } = usePagedList(fetchFeedbacks, null, true);
  const reload = (quiet = false) => load(null, quiet);
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

  usePullRefresh(() => reload(true));

  useReachBottom(() => {
    void loadMore();
  });

  return (
    <View className='index-page'>
      <View className='page-header index-page__header'>
        <View className='page-header__main'>
          <Text className='page-title'>我的服务请求</Text>
          <Text className='index-page__subtitle'>报修、安装、投诉与建议的处理进度</Text>
        </View>
        <View id='index-me' className='page-header__me index-page__me' onClick={() => open(routes.me)}>
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
