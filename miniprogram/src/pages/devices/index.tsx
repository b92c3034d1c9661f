import { Button, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { warrantyStateLabels, type ProductArchive, type WarrantyState } from '@qiao/shared';
import { listMyProducts } from '../../api/me';
import { ApiError, errorMessage } from '../../api/request';
import { currentUser } from '../../api/session';
import { Empty, LoadFailed, Loading } from '../../components/LoadState';
import { usePullRefresh } from '../../hooks/usePullRefresh';
import { formatDate } from '../../utils/format';
import { open, requireVerified, routes, withQuery } from '../../utils/nav';
import './index.css';

type State = { status: 'loading' } | { status: 'error'; error: string } | { status: 'ready'; items: ProductArchive[] };

const warrantyTagClass: Record<WarrantyState, string> = {
  in_warranty: 'tag tag--green',
  expiring: 'tag tag--orange',
  expired: 'tag tag--grey',
};

function DeviceCard({ item }: { item: ProductArchive }) {
  return (
    <View className='card device' id={`device-${item.id}`}>
      <View className='row row--between'>
        <Text className='device__model'>{item.model}</Text>
        <Text className={`device__warranty ${warrantyTagClass[item.warrantyState]}`}>
          {warrantyStateLabels[item.warrantyState]}
        </Text>
      </View>
      <View className='kv'>
        <Text className='kv__key'>序列号</Text>
        <Text className='kv__value device__serial'>{item.serialNumber}</Text>
      </View>
      <View className='kv'>
        <Text className='kv__key'>产品线</Text>
        <Text className='kv__value'>{item.productLine}</Text>
      </View>
      <View className='kv'>
        <Text className='kv__key'>安装日期</Text>
        <Text className='kv__value'>{formatDate(item.installedAt)}</Text>
      </View>
      <View className='kv'>
        <Text className='kv__key'>保修到期</Text>
        <Text className='kv__value'>{formatDate(item.warrantyEndsAt)}</Text>
      </View>
      {item.address ? (
        <View className='kv'>
          <Text className='kv__key'>安装地址</Text>
          <Text className='kv__value'>{item.address}</Text>
        </View>
      ) : null}
      <Button
        id={`device-repair-${item.id}`}
        className='device__repair'
        size='mini'
        onClick={() => open(withQuery(routes.feedbackNew, { productId: item.id }))}
      >
        报修此设备
      </Button>
    </View>
  );
}

export default function DevicesPage() {
  const [state, setState] = useState<State>({ status: 'loading' });

  async function load(quiet = false): Promise<void> {
    if (!quiet) setState({ status: 'loading' });
    try {
      const user = await currentUser();
      if (requireVerified(user, 'devices')) return;
      setState({ status: 'ready', items: await listMyProducts() });
    } catch (error) {
      // Verification undone elsewhere: the server refuses; verify again.
      if (error instanceof ApiError && error.status === 403) {
        void Taro.redirectTo({ url: withQuery(routes.verify, { next: 'devices' }) });
        return;
      }
      setState({ status: 'error', error: errorMessage(error) });
    }
  }

  useLoad(() => {
    void load();
  });

  usePullRefresh(() => load(true));

  if (state.status === 'loading') {
    return (
      <View className='page'>
        <Loading id='devices-loading' />
      </View>
    );
  }
  if (state.status === 'error') {
    return (
      <View className='page'>
        <LoadFailed id='devices-error' error={state.error} onRetry={() => void load()} />
      </View>
    );
  }
  return (
    <View className='page'>
      {state.items.length === 0 ? (
        <Empty id='devices-empty' title='暂无登记的设备' hint='购买或安装的设备登记后会显示在这里；如有疑问请联系客服' />
      ) : (
        <View id='devices-list'>
          <Text className='muted devices__count'>共 {state.items.length} 台设备</Text>
          {state.items.map((item) => (
            <DeviceCard key={item.id} item={item} />
          ))}
        </View>
      )}
    </View>
  );
}
