import { Button, Text, View } from '@tarojs/components';
import { useEffect, useState } from 'react';
import type { SubscriptionState } from '@qiao/shared';
import { errorMessage } from '../../api/request';
import { toast } from '../../utils/nav';
import { loadSubscriptions, requestNoticeConsent } from '../../utils/subscribe';
import './NoticeConsent.css';

/** Below this many allowed messages the prompt is shown (each 允许 allows one). */
const LOW = 2;

interface Props {
  /** Show even with enough consents left (e.g. right after accepting an order). */
  always?: boolean;
  /** Changes whenever the prompt should look again (e.g. after an action). */
  refreshKey?: number;
}

/**
 * 接收派工通知: WeChat only delivers a dispatch notice the engineer allowed beforehand, one per
 * 允许, and the dialog may only open from a tap — hence a small card with a button.
 */
export function NoticeConsent({ always = false, refreshKey = 0 }: Props) {
  const [states, setStates] = useState<SubscriptionState[] | null>(null);
  const [asking, setAsking] = useState(false);

  useEffect(() => {
    loadSubscriptions().then(setStates, () => setStates(null));
  }, [refreshKey]);

  if (!states || states.length === 0) return null;
  const remaining = Math.min(...states.map((state) => state.remaining));
  if (!always && remaining >= LOW) return null;

  async function allow(): Promise<void> {
    if (!states || asking) return;
    setAsking(true);
    try {
      const next = await requestNoticeConsent(states);
      setStates(next);
      toast(next.every((state) => state.remaining > remaining) ? '已开启派工通知' : '未开启派工通知');
    } catch (error) {
      toast(`开启失败：${errorMessage(error)}`);
    } finally {
      setAsking(false);
    }
  }

  return (
    <View className='card notice-consent' id='notice-consent'>
      <Text className='notice-consent__title'>接收派工通知</Text>
      <Text className='muted' id='notice-consent-remaining'>
        {remaining === 0 ? '目前收不到新的派工通知。' : `还可接收 ${remaining} 条派工通知。`}
        每次点“允许”可多接收一条。
      </Text>
      <Button className='notice-consent__button' id='notice-consent-allow' type='primary' size='mini' disabled={asking || undefined} onClick={() => void allow()}>
        {asking ? '请稍候…' : '接收派工通知'}
      </Button>
    </View>
  );
}
