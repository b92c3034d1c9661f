// 我的方案: the campaigns meant for this person (a recipient contact, or a staff member it was handed
// out to), newest first, searchable — nothing is missed after WeChat's 48-hour window. Each opens
// the landing page with the person's own token; staff also get their personal poster.
import { Button, Image, Input, Text, View } from '@tarojs/components';
import { useLoad, useReachBottom } from '@tarojs/taro';
import { useState } from 'react';
import type { CustomerUser } from '@qiao/shared';
import { absoluteUrl, listMyCampaigns, type MyCampaignItem } from '../../api/marketing';
import { errorMessage } from '../../api/request';
import { currentUser } from '../../api/session';
import { Empty, ListFooter, LoadFailed, Loading } from '../../components/LoadState';
import { usePagedList, type PagedListState } from '../../hooks/usePagedList';
import { usePullRefresh } from '../../hooks/usePullRefresh';
import { excerpt, formatDateTime } from '../../utils/format';
import { open, routes, withQuery } from '../../utils/nav';
import { PosterView } from './PosterView';
import './index.css';

interface CardProps {
  item: MyCampaignItem;
  staff: boolean;
  onPoster: (item: MyCampaignItem) => void;
}

function CampaignCard({ item, staff, onPoster }: CardProps) {
  return (
    <View
      className='card mc-item'
      id={`mc-${item.campaignId}`}
      onClick={() => open(withQuery(routes.campaign, { id: item.campaignId, s: item.shareToken }))}
    >
      <View className='row mc-item__main'>
        {item.coverUrl ? <Image className='mc-item__cover' src={absoluteUrl(item.coverUrl)} mode='aspectFill' /> : null}
        <View className='mc-item__text'>
          <Text className='mc-item__title'>{item.title}</Text>
          {item.summary ? <Text className='text mc-item__summary'>{excerpt(item.summary, 50)}</Text> : null}
        </View>
      </View>
      <View className='row row--between mc-item__foot'>
        <Text className='muted'>{formatDateTime(item.receivedAt)}</Text>
        {staff ? (
          <Button
            id={`mc-poster-${item.campaignId}`}
            className='mc-item__poster'
            size='mini'
            onClick={(event) => {
              event.stopPropagation();
              onPoster(item);
            }}
          >
            我的海报
          </Button>
        ) : (
          <Text className='link'>查看 ›</Text>
        )}
      </View>
    </View>
  );
}

interface ListProps {
  state: PagedListState<MyCampaignItem, string>;
  staff: boolean;
  onRetry: () => void;
  onMore: () => void;
  onPoster: (item: MyCampaignItem) => void;
}

function CampaignList({ state, staff, onRetry, onMore, onPoster }: ListProps) {
  if (state.status === 'loading') return <Loading id='mc-loading' />;
  if (state.status === 'error') return <LoadFailed id='mc-error' error={state.error ?? ''} onRetry={onRetry} retryId='mc-retry' />;
  if (state.items.length === 0) {
    return state.query ? (
      <Empty id='mc-empty' title='没有找到相关方案' hint='换个关键词试试' />
    ) : (
      <Empty id='mc-empty' title='暂无方案' hint='发给您的营销方案会保存在这里，随时可以查看和分享' />
    );
  }
  return (
    <View id='mc-list'>
      {state.items.map((item) => (
        <CampaignCard key={item.id} item={item} staff={staff} onPoster={onPoster} />
      ))}
      <ListFooter state={state} moreId='mc-more' onMore={onMore} errorClassName='form-error' />
    </View>
  );
}

export default function MyCampaignsPage() {
  const { state, load, loadMore } = usePagedList<MyCampaignItem, string>(listMyCampaigns, '', true);
  const [user, setUser] = useState<CustomerUser | null>(null);
  const [userError, setUserError] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [poster, setPoster] = useState<MyCampaignItem | null>(null);

  useLoad(() => {
    currentUser().then(
      (loaded) => {
        setUser(loaded);
        void load('');
      },
      (error: unknown) => setUserError(errorMessage(error)),
    );
  });

  usePullRefresh(() => load(state.query, true));
  useReachBottom(() => {
    void loadMore();
  });

  function submitSearch(): void {
    if (!user) return;
    setPoster(null);
    void load(search.trim());
  }

  if (userError) {
    return (
      <View className='page'>
        <LoadFailed id='mc-error' error={userError} />
      </View>
    );
  }

  return (
    <View className='page mc-page'>
      <View className='row mc-search'>
        <Input
          id='mc-search'
          className='field__input mc-search__input'
          maxlength={50}
          placeholder='搜索方案名称或标题'
          confirmType='search'
          value={search}
          onInput={(event) => setSearch(event.detail.value)}
          onConfirm={submitSearch}
        />
        <Button id='mc-search-submit' className='field__button' size='mini' type='primary' onClick={submitSearch}>
          搜索
        </Button>
      </View>
      {poster ? <PosterView campaignId={poster.campaignId} title={poster.title} onClose={() => setPoster(null)} /> : null}
      {user ? (
        <CampaignList
          state={state}
          staff={Boolean(user.staff)}
          onRetry={() => void load(state.query)}
          onMore={() => void loadMore()}
          onPoster={setPoster}
        />
      ) : (
        <Loading id='mc-loading' />
      )}
    </View>
  );
}
