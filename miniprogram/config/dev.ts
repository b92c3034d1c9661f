import type { IProjectConfig } from '@tarojs/taro/types/compile';

export default {
  logger: { quiet: false, stats: true },
  mini: {},
  h5: {},
} satisfies Partial<IProjectConfig<'webpack5'>>;
