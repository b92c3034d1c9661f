import Taro, { usePullDownRefresh } from '@tarojs/taro';

/** Pull-down refresh runs `refresh`, then folds the spinner away however it ended. */
export function usePullRefresh(refresh: () => Promise<void>): void {
  usePullDownRefresh(() => {
    void refresh().finally(() => {
      void Taro.stopPullDownRefresh();
    });
  });
}
