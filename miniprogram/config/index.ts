import path from 'node:path';
import { defineConfig } from '@tarojs/cli';
import type { IProjectConfig } from '@tarojs/taro/types/compile';
import devConfig from './dev';
import prodConfig from './prod';

// Typed here: @tarojs/cli's own config types do not resolve from the hoisted install.
type ProjectConfig = IProjectConfig<'webpack5'>;
type Merge = (...configs: Array<object | null | undefined>) => ProjectConfig;

/** @qiao/shared is TypeScript source (a workspace symlink): Taro's babel must compile it. */
const sharedDir = path.resolve(__dirname, '../../shared');
const compileShared = {
  include: [
    sharedDir,
    (filename: string) => /[\\/]node_modules[\\/]@qiao[\\/]shared[\\/]/.test(filename),
  ],
};

/**
 * Lets `import './paging.js'` (ESM TypeScript convention used by @qiao/shared) resolve to `.ts`.
 * webpack-chain 6 has no setter for `resolve.extensionAlias`; `set` passes it through as is.
 */
function resolveTsFromJs(chain: ResolveChain): void {
  chain.resolve.set('extensionAlias', { '.js': ['.ts', '.tsx', '.js'] });
}

/**
 * npm nests some Taro packages (e.g. @tarojs/plugin-framework-react) in miniprogram/node_modules,
 * where packages hoisted to the root (e.g. @tarojs/taro-h5) cannot find them: search there too.
 */
function resolveFromOwnNodeModules(chain: ResolveChain): void {
  chain.resolve.modules.add('node_modules').add(path.resolve(__dirname, '../node_modules'));
}

interface ResolveChain {
  resolve: {
    set: (key: string, value: unknown) => unknown;
    modules: { add: (value: string) => ResolveChain['resolve']['modules'] };
  };
}

// https://docs.taro.zone/docs/next/config
export default defineConfig<'webpack5'>(async (merge: Merge): Promise<ProjectConfig> => {
  const taroEnv = process.env.TARO_ENV ?? 'weapp';
  const baseConfig: ProjectConfig = {
    projectName: 'qiao-miniprogram',
    date: '2025-01-01',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2,
    },
    sourceRoot: 'src',
    // One folder per platform so the weapp and h5 builds coexist.
    outputRoot: `dist/${taroEnv}`,
    plugins: [],
    defineConstants: {
      // weapp has no "same origin": the API base is fixed at build time.
      QIAO_API_BASE: JSON.stringify(process.env.QIAO_API_BASE || 'http://127.0.0.1:3000'),
    },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: compileShared,
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        resolveTsFromJs(chain);
        resolveFromOwnNodeModules(chain);
      },
    },
    h5: {
      // The Qiao server serves this build under /h5/.
      publicPath: '/h5/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      compile: compileShared,
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain(chain) {
        resolveTsFromJs(chain);
        resolveFromOwnNodeModules(chain);
      },
    },
  };

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig);
  }
  return merge({}, baseConfig, prodConfig);
});
