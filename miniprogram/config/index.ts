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

/**
 * H5: one copy of @tarojs/router. The H5 platform plugin cannot resolve it from the hoisted install
 * and leaves the alias as the bare name; then the app entry gets `dist/index.js` (field `browser`)
 * while @tarojs/taro-h5 gets `dist/index.esm.js` (field `main:h5`): two routers, and every
 * Taro.navigateTo fails with "Cannot read properties of undefined (reading 'listen')".
 */
function singleRouter(chain: ResolveChain): void {
  const pkgPath = require.resolve('@tarojs/router/package.json', { paths: [path.resolve(__dirname, '..')] });
  const pkg = require(pkgPath) as Record<string, string | undefined>;
  const entry = pkg['main:h5'] ?? pkg.main ?? 'dist/index.js';
  chain.resolve.alias.set('@tarojs/router$', path.join(path.dirname(pkgPath), entry));
}

/**
 * H5 pages are lazy chunks, and Taro's split rules only share code between initial chunks: every
 * page chunk would carry its own copy of @qiao/shared + zod and the Taro components it uses.
 * Modules used by two or more pages go to shared async chunks instead.
 */
function sharePageChunks(chain: ResolveChain): void {
  const current = (chain.optimization.get('splitChunks') ?? {}) as { cacheGroups?: Record<string, unknown> };
  chain.optimization.splitChunks({
    ...current,
    cacheGroups: {
      ...(current.cacheGroups ?? {}),
      pagesCommon: { chunks: 'async', minChunks: 2, priority: 5, reuseExistingChunk: true },
    },
  });
}

interface ResolveChain {
  optimization: { get: (key: string) => unknown; splitChunks: (options: object) => unknown };
  resolve: {
    set: (key: string, value: unknown) => unknown;
    modules: { add: (value: string) => ResolveChain['resolve']['modules'] };
    alias: { set: (key: string, value: string) => unknown };
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
        singleRouter(chain);
        sharePageChunks(chain);
      },
    },
  };

  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig);
  }
  return merge({}, baseConfig, prodConfig);
});
