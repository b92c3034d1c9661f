import { Button, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { toast } from '../../utils/nav';

interface SharePanelProps {
  /** The link with the viewer's own token. */
  link: string;
  /** H5 inside WeChat with the JS-SDK configured: the menu's 分享 already carries the link. */
  wechatReady: boolean;
}

async function copy(link: string): Promise<void> {
  try {
    await Taro.setClipboardData({ data: link });
    toast('链接已复制，发给朋友吧');
  } catch {
    toast('复制失败，请长按链接手动复制');
  }
}

/**
 * 分享: weapp — the share button (the page's onShareAppMessage adds the viewer's token); H5 in
 * WeChat — a hint at the menu; otherwise (outside WeChat, or the SDK could not load) the link to copy.
 */
export function SharePanel({ link, wechatReady }: SharePanelProps) {
  if (process.env.TARO_ENV !== 'h5') {
    return (
      <View id='cp-share' className='card cp-share'>
        <Text className='card__title'>分享</Text>
        <Text className='muted cp-share__hint'>转发给朋友或分享到朋友圈，对方打开后会记录是经您分享的。</Text>
        <Button id='cp-share-button' className='actions__button' openType='share'>
          分享给朋友
        </Button>
      </View>
    );
  }
  return (
    <View id='cp-share' className='card cp-share'>
      <Text className='card__title'>分享</Text>
      {wechatReady ? (
        <Text id='cp-share-wechat' className='muted cp-share__hint'>
          点击右上角「···」，即可发送给朋友或分享到朋友圈。
        </Text>
      ) : (
        <Text className='muted cp-share__hint'>复制下面的专属链接发给朋友，对方打开后会记录是经您分享的。</Text>
      )}
      <Text id='cp-share-link' className='cp-share__link' userSelect>
        {link}
      </Text>
      <Button id='cp-share-copy' className='actions__button' size='mini' onClick={() => void copy(link)}>
        复制链接
      </Button>
    </View>
  );
}
