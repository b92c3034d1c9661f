import { Text, View } from '@tarojs/components';
import Taro, { useLoad, useRouter } from '@tarojs/taro';
import { useState } from 'react';
import type { FeedbackDetail } from '@qiao/shared';
import { getFeedback } from '../../api/feedbacks';
import { errorMessage } from '../../api/request';
import { FeedbackInfo } from '../../components/FeedbackInfo';
import { LoadFailed, Loading } from '../../components/LoadState';
import { RatingForm, RatingView } from '../../components/RatingForm';
import { Timeline } from '../../components/Timeline';
import { usePullRefresh } from '../../hooks/usePullRefresh';
import { param } from '../../utils/nav';
import './detail.css';

type State = { status: 'loading' } | { status: 'error'; error: string } | { status: 'ready'; detail: FeedbackDetail };

export default function FeedbackDetailPage() {
  const router = useRouter();
  const id = param(router.params.id);
  // Set when we arrive right after submitting: the new request's number.
  const created = param(router.params.created);
  const [state, setState] = useState<State>({ status: 'loading' });

  async function load(quiet = false): Promise<void> {
    if (!id) {
      setState({ status: 'error', error: '缺少服务请求编号' });
      return;
    }
    if (!quiet) setState({ status: 'loading' });
    try {
      setState({ status: 'ready', detail: await getFeedback(id) });
    } catch (error) {
      if (quiet) {
        void Taro.showToast({ title: errorMessage(error), icon: 'none' });
        return;
      }
      setState({ status: 'error', error: errorMessage(error) });
    }
  }

  useLoad(() => {
    void load();
  });

  usePullRefresh(() => load(true));

  return (
    <View className='page'>
      {created ? (
        <View id='fb-result' className='fd-result'>
          <Text className='fd-result__title'>提交成功</Text>
          <Text className='fd-result__number'>服务单号：{created}</Text>
          <Text className='fd-result__hint'>我们会尽快安排处理，进度会在这里和微信通知中更新</Text>
        </View>
      ) : null}
      {state.status === 'loading' ? <Loading id='fd-loading' /> : null}
      {state.status === 'error' ? <LoadFailed id='fd-error' error={state.error} onRetry={() => void load()} /> : null}
      {state.status === 'ready' ? (
        <View id='fd-detail'>
          <FeedbackInfo detail={state.detail} statusId='fd-status' />
          {state.detail.rating ? <RatingView rating={state.detail.rating} /> : null}
          {!state.detail.rating && state.detail.canRate ? (
            <RatingForm feedbackId={state.detail.id} onRated={(detail) => setState({ status: 'ready', detail })} />
          ) : null}
          <Timeline detail={state.detail} id='fd-timeline' phoneId='fd-engineer-phone' />
        </View>
      ) : null}
    </View>
  );
}
