import { Button, Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useState } from 'react';
import { loadPoster } from '../../api/marketing';
import { errorMessage } from '../../api/request';
import { LoadFailed, Loading } from '../../components/LoadState';
import { toast } from '../../utils/nav';

type PosterState = { status: 'loading' } | { status: 'error'; error: string } | { status: 'ready'; src: string };

async function saveToAlbum(filePath: string): Promise<void> {
  try {
    await Taro.saveImageToPhotosAlbum({ filePath });
    toast('已保存到相册');
  } catch {
    toast('保存失败，请长按图片保存');
  }
}

/**
 * A staff member's personal poster of one campaign (the cover with their own QR code). weapp:
 * long-press the image (or the button) to save it; H5: a download link.
 */
export function PosterView({ campaignId, title, onClose }: { campaignId: string; title: string; onClose: () => void }) {
  const [state, setState] = useState<PosterState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    let made: string | null = null;
    setState({ status: 'loading' });
    loadPoster(campaignId).then(
      (src) => {
        made = src;
        if (live) setState({ status: 'ready', src });
      },
      (error: unknown) => {
        if (live) setState({ status: 'error', error: errorMessage(error) });
      },
    );
    return () => {
      live = false;
      // H5 blob: URLs hold the image in memory until released.
      if (made && process.env.TARO_ENV === 'h5' && made.startsWith('blob:')) URL.revokeObjectURL(made);
    };
  }, [campaignId, attempt]);

  return (
    <View id='mc-poster' className='card mc-poster'>
      <View className='row row--between'>
        <Text className='card__title'>我的海报</Text>
        <Text id='mc-poster-close' className='link' onClick={onClose}>
          关闭
        </Text>
      </View>
      <Text className='muted mc-poster__caption'>{title}</Text>
      {state.status === 'loading' ? <Loading id='mc-poster-loading' /> : null}
      {state.status === 'error' ? (
        <LoadFailed id='mc-poster-error' error={state.error} onRetry={() => setAttempt((n) => n + 1)} retryId='mc-poster-retry' />
      ) : null}
      {state.status === 'ready' ? (
        <>
          <Image id='mc-poster-image' className='mc-poster__image' src={state.src} mode='widthFix' showMenuByLongpress />
          {process.env.TARO_ENV === 'h5' ? (
            <a id='mc-poster-download' className='mc-poster__download' href={state.src} download={`${title}-海报.png`}>
              下载海报
            </a>
          ) : (
            <>
              <Text className='muted mc-poster__hint'>长按图片可保存或发送给朋友，客户扫码即记录为您分享。</Text>
              <Button id='mc-poster-save' className='actions__button' size='mini' onClick={() => void saveToAlbum(state.src)}>
                保存到相册
              </Button>
            </>
          )}
        </>
      ) : null}
    </View>
  );
}
