import { Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useState } from 'react';
import { optOut } from '../../api/marketing';
import { errorMessage } from '../../api/request';
import { toast } from '../../utils/nav';

/** 不再接收此类消息: for the recipient opening their own link (their token names them). */
export function OptOutLink({ token }: { token: string }) {
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle');

  async function onTap(): Promise<void> {
    if (state !== 'idle') return;
    const answer = await Taro.showModal({
      title: '退订',
      content: '退订后将不再收到我们的营销消息，服务通知不受影响。确定退订吗？',
      confirmText: '退订',
    });
    if (!answer.confirm) return;
    setState('busy');
    try {
      await optOut(token);
      setState('done');
    } catch (error) {
      setState('idle');
      toast(errorMessage(error));
    }
  }

  return (
    <View className='cp-optout'>
      {state === 'done' ? (
        <Text id='cp-optout-done' className='muted'>
          已退订，您将不再收到此类消息
        </Text>
      ) : (
        <Text id='cp-optout' className='muted cp-optout__link' onClick={() => void onTap()}>
          {state === 'busy' ? '正在退订…' : '不再接收此类消息'}
        </Text>
      )}
    </View>
  );
}
