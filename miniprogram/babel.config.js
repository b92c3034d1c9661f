// babel-preset-taro options: https://docs.taro.zone/docs/next/babel-config
// This file is also applied to @qiao/shared (TypeScript source outside this folder),
// which config/index.ts adds to the script rule through `compile.include`.
module.exports = {
  presets: [
    [
      'taro',
      {
        framework: 'react',
        ts: true,
        compiler: 'webpack5',
      },
    ],
  ],
};
