import { Text, View } from '@tarojs/components';
import Taro, { useDidShow, useLoad, useReachBottom } from '@tarojs/taro';
import { useRef, useState } from 'react';
import {
  feedbackTypeLabels,
  workOrderStatusLabels,
  workOrderTabLabels,
  workOrderTabs,
  type CustomerUser,
  type WorkOrderSummary,
} from '@qiao/shared';
import { errorMessage } from '../../api/request';
import { currentUser } from '../../api/session';
import { listWorkOrders, type WorkOrderTab } from '../../api/work-orders';
import { Empty, ListFooter, LoadFailed, Loading } from '../../components/LoadState';
import { usePagedList, type PagedListState } from '../../hooks/usePagedList';
import { usePullRefresh } from '../../hooks/usePullRefresh';
import { excerpt, formatDateTime } from '../../utils/format';
import { NoticeConsent } from './NoticeConsent';
import { callPhone, open, routes, withQuery } from '../../utils/nav';
import './orders.css';

type OrderListState = PagedListState<WorkOrderSummary, WorkOrderTab>;

const tabIds = { pending: 'wo-tab-pending', active: 'wo-tab-active', done: 'wo-tab-done' } as const;

function OrderCard({ item }: { item: WorkOrderSummary }) {
  return (
    <View
      className='card wo-card'
      id={`wo-${item.id}`}
      data-id={item.id}
      onClick={() => open(withQuery(routes.engineerOrder, { id: item.id, feedbackId: item.feedbackId }))}
    >
      <View className='row row--between'>
        <View className='row'>
          <Text className='tag'>{feedbackTypeLabels[item.type]}</Text>
          <Text className='wo-card__number'>{item.number}</Text>
        </View>
        <Text className={`status-text status-text--${item.status} wo-card__status`}>{workOrderStatusLabels[item.status]}</Text>
      </View>
      <Text className='wo-card__customer'>
        {item.customerName}
        {item.collaborating ? <Text className='tag tag--orange wo-card__collab'>协作</Text> : null}
      </Text>
      <Text className='text wo-card__desc'>{excerpt(item.description, 80)}</Text>
      <View className='kv'>
        <Text className='kv__key'>联系人</Text>
        <Text className='kv__value'>
          {item.contactName} {item.contactPhone}
        </Text>
      </View>
      <View className='kv'>
        <Text className='kv__key'>地址</Text>
        <Text className='kv__value'>{item.address || '未填写'}</Text>
      </View>
      <View className='kv'>
        <Text className='kv__key'>要求完成</Text>
        <Text className='kv__value'>{item.requestedBy ? formatDateTime(item.requestedBy) : '未指定'}</Text>
      </View>
      <View className='row row--between wo-card__foot'>
        <Text className='muted'>派工于 {formatDateTime(item.dispatchedAt)}</Text>
        {/* Kept away from the middle of the card, where a tap opens the order. */}
        <Text
          className='wo-card__call'
          onClick={(event) => {
            event.stopPropagation();
            callPhone(item.contactPhone);
          }}
        >
          拨打电话
        </Text>
      </View>
    </View>
  );
}

function OrderList({ state, onRetry, onMore }: { state: OrderListState; onRetry: () => void; onMore: () => void }) {
  if (state.status === 'loading') return <Loading id='wo-loading' />;
  if (state.status === 'error') return <LoadFailed id='wo-error' error={state.error ?? ''} onRetry={onRetry} />;
  if (state.items.length === 0) return <Empty id='wo-empty' title={`暂无${workOrderTabLabels[state.query]}的工单`} />;
  return (
    <View id='wo-list'>
      {state.items.map((item) => (
        <OrderCard key={item.id} item={item} />
      ))}
      <ListFooter state={state} moreId='wo-more' onMore={onMore} errorClassName='form-error' />
    </View>
  );
}

export default function EngineerOrdersPage() {
  const { state, load, loadMore } = usePagedList(listWorkOrders, 'pending' as WorkOrderTab);
  const [user, setUser] = useState<CustomerUser | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = useRef(false);

  useLoad(() => {
    currentUser().then(
      (loaded) => {
        // Only staff bound by invite code have engineer pages.
        if (!loaded.staff) {
          void Taro.reLaunch({ url: routes.index });
          return;
        }
        setUser(loaded);
        void load('pending');
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  });

  useDidShow(() => {
    // Back from an order: its state may have changed.
    if (shown.current && user) void load(state.query, true);
    shown.current = true;
  });

  usePullRefresh(() => load(state.query, true));

  useReachBottom(() => {
    void loadMore();
  });

  return (
    <View className='page wo-page'>
      <View className='page-header wo-header'>
        <View className='page-header__main'>
          <Text className='page-title'>我的工单</Text>
          <Text className='muted'>{user?.staff ? `${user.staff.name}，您好` : ''}</Text>
        </View>
        <View id='wo-me' className='page-header__me' onClick={() => open(routes.me)}>
          <Text>我的</Text>
        </View>
      </View>
      {user ? <NoticeConsent /> : null}
      <View className='wo-tabs'>
        {workOrderTabs.map((tab) => (
          <View
            key={tab}
            id={tabIds[tab]}
            className={`wo-tabs__tab ${state.query === tab ? 'wo-tabs__tab--active' : ''}`}
            onClick={() => {
              if (user) void load(tab);
            }}
          >
            <Text>{workOrderTabLabels[tab]}</Text>
          </View>
        ))}
      </View>
      {error ? <LoadFailed error={error} /> : <OrderList state={state} onRetry={() => void load(state.query)} onMore={() => void loadMore()} />}
    </View>
  );
}
