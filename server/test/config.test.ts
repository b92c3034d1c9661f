import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SANDBOX_CREDENTIALS } from '../src/config.js';

describe('configuration', () => {
  it('defaults to the WeChat sandbox and the embedded database in development', () => {
    const config = loadConfig({});
    expect(config.env).toBe('development');
    expect(config.port).toBe(3000);
    expect(config.mongoUri).toBeUndefined();
    expect(config.wechat.sandbox).toBe(true);
    expect(config.wechat.oa.appid).toBe(SANDBOX_CREDENTIALS.oa.appid);
    expect(config.dataDir).toMatch(/\.data$/);
  });

  it('production refuses to start without its secrets, and names them', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', WECHAT_OA_APPID: 'wx1' })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: 'production', MONGODB_URI: 'mongodb://db/qiao' });
    } catch (error) {
      expect((error as Error).message).toContain('PUBLIC_BASE_URL');
      expect((error as Error).message).toContain('WECHAT_OA_SECRET');
      expect((error as Error).message).toContain('WECHAT_MP_SECRET');
      expect((error as Error).message).not.toContain('MONGODB_URI');
      return;
    }
    throw new Error('expected a ConfigError');
  });

  it('refuses a half-configured WeChat account and malformed values', () => {
    expect(() => loadConfig({ WECHAT_OA_APPID: 'wx1', WECHAT_OA_SECRET: 's' })).toThrow(/WECHAT_OA_TOKEN/);
    expect(() => loadConfig({ WECHAT_OA_AES_KEY: 'short' })).toThrow(/EncodingAESKey/);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ MONGODB_URI: 'postgres://x' })).toThrow(/MONGODB_URI/);
  });

  it('uses real WeChat when credentials are set', () => {
    const config = loadConfig({
      WECHAT_OA_APPID: 'wxoa', WECHAT_OA_SECRET: 's1', WECHAT_OA_TOKEN: 't',
      WECHAT_MP_APPID: 'wxmp', WECHAT_MP_SECRET: 's2',
    });
    expect(config.wechat.sandbox).toBe(false);
    expect(config.wechat.apiBase).toBe('https://api.weixin.qq.com');
  });
});
