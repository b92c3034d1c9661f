// Safe mode with parameters of our own (a random key per run).
import { randomBytes } from 'node:crypto';
import { safeModeSuite } from './safe-mode.js';

safeModeSuite({
  label: 'own parameters',
  token: 'QiaoToken2026',
  aesKey: randomBytes(32).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(43, 'q').slice(0, 43),
  appid: 'wx5e1f0c0ffee0a001',
});
