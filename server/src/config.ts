// The only place that reads process.env. Everything else receives a typed, validated Config.
import path from 'node:path';
import { z } from 'zod';
import { repoRoot } from './db/embedded.js';

/** Credentials the built-in WeChat sandbox accepts when no real WeChat account is configured. */
export const SANDBOX_CREDENTIALS = {
  oa: { appid: 'wxsandbox0000000oa', secret: 'sandbox-oa-secret', token: 'qiaosandbox' },
  mp: { appid: 'wxsandbox0000000mp', secret: 'sandbox-mp-secret' },
} as const;

const optional = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: optional,
  PUBLIC_BASE_URL: optional.pipe(z.url({ message: 'PUBLIC_BASE_URL must be a URL' }).optional()),
  MONGODB_URI: optional.pipe(z.string().regex(/^mongodb(\+srv)?:\/\//, 'MONGODB_URI must start with mongodb://').optional()),
  QIAO_DATA_DIR: optional,
  QIAO_ADMIN_PASSWORD: optional.pipe(z.string().min(8, 'QIAO_ADMIN_PASSWORD must have at least 8 characters').optional()),
  WECHAT_API_BASE: optional.pipe(z.url({ message: 'WECHAT_API_BASE must be a URL' }).optional()),
  WECHAT_OPEN_BASE: optional.pipe(z.url({ message: 'WECHAT_OPEN_BASE must be a URL' }).optional()),
  WECHAT_OA_APPID: optional,
  WECHAT_OA_SECRET: optional,
  WECHAT_OA_TOKEN: optional,
  WECHAT_OA_AES_KEY: optional.pipe(
    z.string().regex(/^[A-Za-z0-9]{43}$/, 'WECHAT_OA_AES_KEY must be the 43-character EncodingAESKey').optional(),
  ),
  WECHAT_MP_APPID: optional,
  WECHAT_MP_SECRET: optional,
  WECHAT_TEMPLATE_SERVICE_STATUS: optional,
  WECHAT_TEMPLATE_SERVICE_OVERDUE: optional,
  WECHAT_TEMPLATE_WARRANTY: optional,
  WECHAT_MP_TEMPLATE_DISPATCH: optional,
  WECHAT_TEMPLATE_STAFF_BINDING: optional,
  WECHAT_TEMPLATE_LEAD_NEW: optional,
  WECHAT_TEMPLATE_POOL_RETURN: optional,
  QIAO_SMS_PROVIDER: z.enum(['sandbox', 'none']).optional(),
  QIAO_DUE_REMINDER_HOURS: z.coerce.number().int().min(1, 'QIAO_DUE_REMINDER_HOURS must be at least 1').max(720).default(24),
  QIAO_OA_MESSAGE_RETENTION_DAYS: z.coerce.number().int().min(1, 'QIAO_OA_MESSAGE_RETENTION_DAYS must be at least 1').max(3650).default(30),
  QIAO_CAMPAIGN_SEND_RATE: z.coerce.number().positive('QIAO_CAMPAIGN_SEND_RATE must be above 0').max(1000).default(20),
  QIAO_CAMPAIGN_FREQUENCY_CAP: z.coerce.number().int().min(0, 'QIAO_CAMPAIGN_FREQUENCY_CAP must be 0 (off) or more').max(1000).default(4),
  QIAO_CAMPAIGN_QUOTA_PAUSE_SECONDS: z.coerce.number().int().min(1).max(7 * 86_400).default(3600),
});

export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: string;
  port: number;
  host: string | undefined;
  publicBaseUrl: string | undefined;
  /** Unset → the embedded FerretDB is started. */
  mongoUri: string | undefined;
  dataDir: string;
  adminPassword: string | undefined;
  wechat: {
    /** Base URL of WeChat's server API; undefined in sandbox mode until the HTTP port is known. */
    apiBase: string | undefined;
    /**
     * Where browsers are sent for web authorisation (网页授权): `https://open.weixin.qq.com`;
     * undefined in sandbox mode (this server's own /sandbox, same origin).
     */
    openBase: string | undefined;
    /** No WeChat credentials configured: the built-in sandbox is mounted at /sandbox and used. */
    sandbox: boolean;
    oa: { appid: string; secret: string; token: string; aesKey: string | undefined };
    mp: { appid: string; secret: string };
    /** Template ids: Official Account template messages and the mini-program subscribe message. */
    templates: { serviceStatus: string; serviceOverdue: string; warranty: string; mpDispatch: string };
    /** Template id of 账号绑定变更通知, sent when a staff member's WeChat binding is replaced. */
    staffBindingTemplate: string;
    /** Template id of 新线索通知, sent to the marketer and the owning salesperson of a campaign lead. */
    leadTemplate: string;
    /** 客户回收提醒: an owned customer returns to the pool soon. */
    poolReminderTemplate: string;
  };
  /**
   * Where verification codes go: the WeChat sandbox's SMS inbox (`${apiBase}/sms`), or nowhere
   * (asking for a code answers 503 until a real provider is added in modules/identity/sms.ts).
   */
  sms: 'sandbox' | 'none';
  service: {
    /** How long before the requested completion time the engineer is reminded. */
    dueReminderHours: number;
  };
  /** Days the Official Account message log (oa_messages) is kept; a job deletes older records. */
  oaMessageRetentionDays: number;
  marketing: {
    /** Campaign messages (recipients) per second. */
    sendRate: number;
    /** Campaigns a contact receives at most in 30 days (0 = no cap). */
    frequencyCap: number;
    /** A campaign paused by WeChat's API quota (45009) resumes after this long. */
    quotaPauseMs: number;
  };
}

export class ConfigError extends Error {}

/** Secrets production refuses to start without. */
const REQUIRED_IN_PRODUCTION = [
  'MONGODB_URI',
  'PUBLIC_BASE_URL',
  'WECHAT_OA_APPID',
  'WECHAT_OA_SECRET',
  'WECHAT_OA_TOKEN',
  'WECHAT_MP_APPID',
  'WECHAT_MP_SECRET',
] as const;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
  }
  const e = parsed.data;

  if (e.NODE_ENV === 'production') {
    const missing = REQUIRED_IN_PRODUCTION.filter((name) => !e[name]);
    if (missing.length > 0) {
      throw new ConfigError(`production needs these environment variables, which are not set: ${missing.join(', ')}`);
    }
  }

  const oaConfigured = Boolean(e.WECHAT_OA_APPID || e.WECHAT_MP_APPID);
  if (oaConfigured) {
    const half = [
      ['WECHAT_OA_APPID', 'WECHAT_OA_SECRET', 'WECHAT_OA_TOKEN'],
      ['WECHAT_MP_APPID', 'WECHAT_MP_SECRET'],
    ].flatMap((group) => group.filter((name) => !e[name as keyof typeof e]));
    if (half.length > 0) {
      throw new ConfigError(`WeChat is partly configured; also set: ${half.join(', ')} (or unset all WECHAT_* to use the sandbox)`);
    }
  }
  const sandbox = !oaConfigured;
  const sms = e.QIAO_SMS_PROVIDER ?? (sandbox ? 'sandbox' : 'none');
  if (e.NODE_ENV === 'production' && sms === 'sandbox') {
    throw new ConfigError('QIAO_SMS_PROVIDER=sandbox is for development and tests: production cannot deliver codes through it');
  }

  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'warn' : 'info'),
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/$/, ''),
    mongoUri: e.MONGODB_URI,
    dataDir: path.resolve(repoRoot, e.QIAO_DATA_DIR ?? '.data'),
    adminPassword: e.QIAO_ADMIN_PASSWORD,
    wechat: {
      apiBase: e.WECHAT_API_BASE?.replace(/\/$/, '') ?? (sandbox ? undefined : 'https://api.weixin.qq.com'),
      openBase: e.WECHAT_OPEN_BASE?.replace(/\/$/, '') ?? (sandbox ? undefined : 'https://open.weixin.qq.com'),
      sandbox,
      oa: sandbox
        ? { ...SANDBOX_CREDENTIALS.oa, aesKey: e.WECHAT_OA_AES_KEY }
        : { appid: e.WECHAT_OA_APPID!, secret: e.WECHAT_OA_SECRET!, token: e.WECHAT_OA_TOKEN!, aesKey: e.WECHAT_OA_AES_KEY },
      mp: sandbox ? { ...SANDBOX_CREDENTIALS.mp } : { appid: e.WECHAT_MP_APPID!, secret: e.WECHAT_MP_SECRET! },
      // Readable defaults: the sandbox registers these ids (and any set here) with their keywords.
      templates: {
        serviceStatus: e.WECHAT_TEMPLATE_SERVICE_STATUS ?? 'qiao-service-status',
        serviceOverdue: e.WECHAT_TEMPLATE_SERVICE_OVERDUE ?? 'qiao-service-overdue',
        warranty: e.WECHAT_TEMPLATE_WARRANTY ?? 'qiao-warranty-expiring',
        mpDispatch: e.WECHAT_MP_TEMPLATE_DISPATCH ?? 'qiao-mp-work-order',
      },
      staffBindingTemplate: e.WECHAT_TEMPLATE_STAFF_BINDING ?? 'qiao-staff-binding',
      leadTemplate: e.WECHAT_TEMPLATE_LEAD_NEW ?? 'qiao-lead-new',
      poolReminderTemplate: e.WECHAT_TEMPLATE_POOL_RETURN ?? 'qiao-pool-return',
    },
    sms,
    service: { dueReminderHours: e.QIAO_DUE_REMINDER_HOURS },
    oaMessageRetentionDays: e.QIAO_OA_MESSAGE_RETENTION_DAYS,
    marketing: { sendRate: e.QIAO_CAMPAIGN_SEND_RATE, frequencyCap: e.QIAO_CAMPAIGN_FREQUENCY_CAP, quotaPauseMs: e.QIAO_CAMPAIGN_QUOTA_PAUSE_SECONDS * 1000 },
  };
}
