// The campaign landing page (营销方案落地页): opens from a plain link
// `/h5/#/pages/campaign/index?id=<campaignId>&s=<shareToken>` (or the mini-program path with the
// same query, or `?preview=<token>` for a marketer's material preview). Each load records one view
// and learns the viewer's own token, which every share from here carries.
import { Text, View } from '@tarojs/components';
import Taro, { useLoad, useRouter, useShareAppMessage, useShareTimeline } from '@tarojs/taro';
import { useRef, useState } from 'react';
import type { LandingCampaign } from '@qiao/shared';
import { absoluteUrl, loadPreview, trackView } from '../../api/marketing';
import { ApiError, errorMessage } from '../../api/request';
import { keptSession } from '../../api/session';
import { Empty, LoadFailed, Loading } from '../../components/LoadState';
import { param } from '../../utils/nav';
import { CAMPAIGN_PAGE, h5ShareLink, setUpWeChatShare, shareQuery } from '../../utils/wechat-share';
import { IntentForm } from './IntentForm';
import { MaterialView, type MaterialContent } from './MaterialView';
import { OptOutLink } from './OptOutLink';
import { SharePanel } from './SharePanel';
import './index.css';

type State =
  | { status: 'loading' }
  | { status: 'missing' }
  | { status: 'error'; error: string }
  | { status: 'preview'; material: MaterialContent }
  | { status: 'ready'; campaign: LandingCampaign; shareToken: string };

/** Answers meaning "there is no such campaign to show" (unknown, cancelled, ended, bad id). */
function isMissing(error: unknown): boolean {
  return error instanceof ApiError && [400, 403, 404, 409, 410].includes(error.status);
}

const SUMMARY_LENGTH = 60;

/** The share card's description: the first words of the body, without tags. */
function summaryOf(html: string): string {
  const text = html.replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim();
  const chars = Array.from(text);
  return chars.length > SUMMARY_LENGTH ? `${chars.slice(0, SUMMARY_LENGTH).join('')}…` : text;
}

export default function CampaignPage() {
  const router = useRouter();
  const campaignId = param(router.params.id);
  const incoming = param(router.params.s) || undefined;
  const previewToken = param(router.params.preview);
  const [state, setState] = useState<State>({ status: 'loading' });
  const [wechatReady, setWechatReady] = useState(false);
  // The latest share content, for the weapp share hooks (registered once).
  const share = useRef<{ title: string; query: string; imageUrl?: string }>({
    title: '',
    query: campaignId ? shareQuery(campaignId, incoming ?? '') : '',
  });

  useShareAppMessage(() => ({
    title: share.current.title,
    path: `/${CAMPAIGN_PAGE}?${share.current.query}`,
    ...(share.current.imageUrl ? { imageUrl: share.current.imageUrl } : {}),
  }));
  useShareTimeline(() => ({
    title: share.current.title,
    query: share.current.query,
    ...(share.current.imageUrl ? { imageUrl: share.current.imageUrl } : {}),
  }));

  async function load(): Promise<void> {
    setState({ status: 'loading' });
    try {
      if (previewToken) {
        const material = await loadPreview(previewToken);
        setState({ status: 'preview', material });
        void Taro.setNavigationBarTitle({ title: material.title });
        return;
      }
      if (!campaignId) {
        setState({ status: 'missing' });
        return;
      }
      const { campaign, shareToken } = await trackView(campaignId, incoming);
      setState({ status: 'ready', campaign, shareToken });
      void Taro.setNavigationBarTitle({ title: campaign.title });
      const imageUrl = campaign.coverUrl ? absoluteUrl(campaign.coverUrl) : undefined;
      share.current = { title: campaign.title, query: shareQuery(campaign.id, shareToken), ...(imageUrl ? { imageUrl } : {}) };
      if (process.env.TARO_ENV === 'h5') {
        const ready = await setUpWeChatShare({
          title: campaign.title,
          desc: summaryOf(campaign.bodyHtml),
          link: h5ShareLink(campaign.id, shareToken),
          imgUrl: imageUrl ?? '',
        });
        setWechatReady(ready);
      }
    } catch (error) {
      setState(isMissing(error) ? { status: 'missing' } : { status: 'error', error: errorMessage(error) });
    }
  }

  useLoad(() => {
    void load();
  });

  if (state.status === 'loading') return <View className='page'><Loading id='cp-loading' /></View>;
  if (state.status === 'missing') {
    return (
      <View className='page'>
        <Empty id='cp-missing' title={previewToken ? '预览链接已失效' : '活动不存在或已结束'} hint='感谢您的关注，欢迎留意我们的其他活动。' />
      </View>
    );
  }
  if (state.status === 'error') {
    return (
      <View className='page'>
        <LoadFailed id='cp-error' error={state.error} onRetry={() => void load()} retryId='cp-retry' />
      </View>
    );
  }
  if (state.status === 'preview') {
    return (
      <View className='page cp-page'>
        <Text id='cp-preview' className='tag tag--orange cp-preview'>预览</Text>
        <MaterialView material={state.material} />
      </View>
    );
  }

  const { campaign, shareToken } = state;
  const link = process.env.TARO_ENV === 'h5' ? h5ShareLink(campaign.id, shareToken) : `/${CAMPAIGN_PAGE}?${shareQuery(campaign.id, shareToken)}`;
  return (
    <View className='page cp-page' data-token={shareToken}>
      <MaterialView material={campaign} />
      {campaign.intentForm.enabled ? (
        <IntentForm campaignId={campaign.id} shareToken={shareToken} products={campaign.intentForm.products} />
      ) : null}
      <SharePanel link={link} wechatReady={wechatReady} />
      {/* The recipient opening their own link (it names them): they may stop receiving campaigns. */}
      {incoming && incoming === shareToken && !keptSession()?.user.staff ? <OptOutLink token={shareToken} /> : null}
    </View>
  );
}
