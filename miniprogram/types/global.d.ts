/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.gif';
declare module '*.jpg';
declare module '*.jpeg';
declare module '*.svg';
declare module '*.css';

/** Base URL of the Qiao API for the weapp build (config/index.ts, defineConstants). */
declare const QIAO_API_BASE: string;

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production';
    /** Platform of the current Taro build. */
    TARO_ENV: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn';
    /** Mini-program appid, if set for the build. */
    TARO_APP_ID?: string;
    /** API base for the weapp build; defaults to http://127.0.0.1:3000. */
    QIAO_API_BASE?: string;
  }
}
