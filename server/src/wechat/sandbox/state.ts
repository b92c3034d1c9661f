// Everything the sandbox remembers. It is a fake: state lives in memory, one copy per sandbox
// instance, and is lost when the process stops. Time always comes from `now()` so tests can move it.
import { randomBytes } from 'node:crypto';
import { controlError } from './errors.js';
import type { SandboxTemplate } from './templates.js';
import type {
  SandboxApp,
  SandboxOptions,
  MessageKind,
  SentMessage,
  SmsRecord,
  CallRecord,
  TokenRecord,
  OaUser,
  MpUser,
  LoginCode,
  StableTokenRecord,
  Tag,
  QrCode,
  RegisterOaUserInput,
  MintLoginCodeInput,
} from './types.js';

export type {
  SandboxApp,
  SandboxOptions,
  MessageKind,
  SentMessage,
  SmsRecord,
  CallRecord,
  TokenRecord,
  ServiceWindow,
  OaUser,
  MpUser,
  LoginCode,
  StableTokenRecord,
  Tag,
  QrCode,
  RegisterOaUserInput,
  MintLoginCodeInput,
} from './types.js';

export const SUBSCRIBE_SCENES = [
  'ADD_SCENE_SEARCH',
  'ADD_SCENE_ACCOUNT_MIGRATION',
  'ADD_SCENE_PROFILE_CARD',
  'ADD_SCENE_QR_CODE',
  'ADD_SCENE_PROFILE_LINK',
  'ADD_SCENE_PROFILE_ITEM',
  'ADD_SCENE_PAID',
  'ADD_SCENE_WECHAT_ADVERTISEMENT',
  'ADD_SCENE_REPRINT',
  'ADD_SCENE_LIVESTREAM',
  'ADD_SCENE_CHANNELS',
  'ADD_SCENE_WXA',
  'ADD_SCENE_OTHERS',
] as const;

/** WeChat rule: a user message opens 48 h for 5 messages; a click/follow/scan event 1 min for 3. */
export const WINDOWS = {
  message: { durationMs: 48 * 3600_000, limit: 5 },
  event: { durationMs: 60_000, limit: 3 },
} as const;

export const TOKEN_TTL_SECONDS = 7200;
/** WeChat keeps the previous token valid for 5 minutes after a new one is granted. */
export const TOKEN_OVERLAP_MS = 5 * 60_000;
export const LOGIN_CODE_TTL_MS = 5 * 60_000;
const MAX_CALL_LOG = 2000;
const MAX_SMS = 2000;

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

const userKey = (appid: string, openid: string) => `${appid}\n${openid}`;

export class SandboxStore {
  readonly apps = new Map<string, SandboxApp>();
  readonly now: () => number;
  readonly massMonthlyLimitPerUser: number;

  tokens = new Map<string, TokenRecord>();
  currentToken = new Map<string, string>();
  tokenGrants = new Map<string, number>();
  oaUsers = new Map<string, OaUser>();
  mpUsers = new Map<string, MpUser>();
  loginCodes = new Map<string, LoginCode>();
  tags = new Map<string, Map<number, Tag>>();
  nextTagId = new Map<string, number>();
  qrCodes = new Map<string, QrCode>();
  messages: SentMessage[] = [];
  smsInbox: SmsRecord[] = [];
  templateDedupe = new Map<string, { msgid: number; at: number }>();
  massDedupe = new Map<string, { msg_id: number; msg_data_id?: number; at: number }>();
  jsapiTickets = new Map<string, { ticket: string; expiresAt: number }>();
  calls: CallRecord[] = [];
  /** `${appid}\n${templateId}` → template; kept across reset (it is account configuration). */
  templates = new Map<string, SandboxTemplate>();
  /** `${appid}\n${openid}\n${templateId}` → sends left (subscribe-message consent). */
  consents = new Map<string, number>();
  stableTokens = new Map<string, StableTokenRecord>();
  menus = new Map<string, { button: unknown[]; menuid: number }>();
  private seq = 0;
  private msgidSeq = 3_000_000_000;

  constructor(options: SandboxOptions) {
    if (options.apps.length === 0) throw new Error('the WeChat sandbox needs at least one app');
    for (const app of options.apps) this.apps.set(app.appid, { ...app });
    this.now = options.now ?? Date.now;
    this.massMonthlyLimitPerUser = options.massMonthlyLimitPerUser ?? 4;
  }

  /** Forget everything except the apps. */
  reset(): void {
    this.tokens = new Map();
    this.currentToken = new Map();
    this.tokenGrants = new Map();
    this.oaUsers = new Map();
    this.mpUsers = new Map();
    this.loginCodes = new Map();
    this.tags = new Map();
    this.nextTagId = new Map();
    this.qrCodes = new Map();
    this.messages = [];
    this.smsInbox = [];
    this.templateDedupe = new Map();
    this.massDedupe = new Map();
    this.jsapiTickets = new Map();
    this.calls = [];
    this.consents = new Map();
    this.stableTokens = new Map();
    this.menus = new Map();
  }

  nextMsgid(): number {
    return ++this.msgidSeq;
  }

  defaultApp(kind: 'oa' | 'mp', appid?: string): SandboxApp {
    if (appid !== undefined) {
      const app = this.apps.get(appid);
      if (!app || app.kind !== kind) throw controlError(`no ${kind} app with appid ${appid} in the sandbox`, 40013);
      return app;
    }
    for (const app of this.apps.values()) if (app.kind === kind) return app;
    throw controlError(`the sandbox has no ${kind} app`, 40013);
  }

  // ---- access tokens -------------------------------------------------------------------------

  grantToken(appid: string): TokenRecord {
    const now = this.now();
    const previous = this.currentToken.get(appid);
    for (const record of this.tokens.values()) {
      if (record.appid !== appid || record.stable) continue;
      const limit = record.token === previous ? now + TOKEN_OVERLAP_MS : now;
      record.invalidAfter = Math.min(record.invalidAfter, limit);
    }
    const record: TokenRecord = {
      token: randomToken(48),
      appid,
      expiresAt: now + TOKEN_TTL_SECONDS * 1000,
      invalidAfter: Number.POSITIVE_INFINITY,
    };
    this.tokens.set(record.token, record);
    this.currentToken.set(appid, record.token);
    this.tokenGrants.set(appid, (this.tokenGrants.get(appid) ?? 0) + 1);
    // Keep the map small: drop tokens dead for more than a day.
    for (const [token, old] of this.tokens) {
      if (Math.min(old.expiresAt, old.invalidAfter) < now - 86_400_000) this.tokens.delete(token);
    }
    return record;
  }

  /** Every token of the app answers 40001 from now on. */
  invalidateTokens(appid: string): void {
    const now = this.now();
    for (const record of this.tokens.values()) {
      if (record.appid === appid) record.invalidAfter = Math.min(record.invalidAfter, now);
    }
    this.stableTokens.delete(appid);
  }

  /** Every token of the app answers 42001 from now on. */
  expireTokens(appid: string): void {
    const now = this.now();
    for (const record of this.tokens.values()) {
      if (record.appid === appid) record.expiresAt = Math.min(record.expiresAt, now);
    }
    this.stableTokens.delete(appid);
  }

  // ---- users ---------------------------------------------------------------------------------

  oaUser(appid: string, openid: string): OaUser | undefined {
    return this.oaUsers.get(userKey(appid, openid));
  }

  mpUser(appid: string, openid: string): MpUser | undefined {
    return this.mpUsers.get(userKey(appid, openid));
  }

  registerOaUser(input: RegisterOaUserInput): OaUser {
    if (typeof input.openid !== 'string' || input.openid.trim() === '') throw controlError('openid is required');
    const app = this.defaultApp('oa', input.appid);
    const nowSeconds = Math.floor(this.now() / 1000);
    const existing = this.oaUser(app.appid, input.openid);
    const subscribed = input.subscribed ?? true;
    const scene = input.scene ?? (input.qrScene || input.qrSceneStr ? 'ADD_SCENE_QR_CODE' : undefined);
    if (scene !== undefined && !(SUBSCRIBE_SCENES as readonly string[]).includes(scene)) {
      throw controlError(`scene must be one of ${SUBSCRIBE_SCENES.join(', ')}`);
    }
    const user: OaUser = existing ?? {
      appid: app.appid,
      openid: input.openid,
      subscribed,
      subscribeTime: nowSeconds,
      subscribeScene: scene ?? 'ADD_SCENE_OTHERS',
      qrScene: 0,
      qrSceneStr: '',
      language: 'zh_CN',
      remark: '',
      tagIds: [],
      windows: {},
      mass: { month: '', count: 0 },
    };
    if (existing && subscribed && !existing.subscribed) {
      // Following again: a new subscribe time and scene.
      user.subscribeTime = nowSeconds;
      user.subscribeScene = scene ?? 'ADD_SCENE_OTHERS';
      user.qrScene = 0;
      user.qrSceneStr = '';
    } else if (scene !== undefined) {
      user.subscribeScene = scene;
    }
    if (!subscribed) user.windows = {};
    user.subscribed = subscribed;
    if (input.unionid !== undefined) user.unionid = input.unionid;
    if (input.nickname !== undefined) user.nickname = input.nickname;
    if (input.qrScene !== undefined) user.qrScene = input.qrScene;
    if (input.qrSceneStr !== undefined) user.qrSceneStr = input.qrSceneStr;
    if (input.language !== undefined) user.language = input.language;
    if (input.remark !== undefined) user.remark = input.remark;
    this.oaUsers.set(userKey(app.appid, user.openid), user);
    return user;
  }

  /** A user message or event opens (or renews) the customer-service window of that kind. */
  recordInteraction(openid: string, kind: 'message' | 'event', appid?: string): OaUser {
    if (kind !== 'message' && kind !== 'event') throw controlError("kind must be 'message' or 'event'");
    const app = this.defaultApp('oa', appid);
    const user = this.oaUser(app.appid, openid);
    if (!user) throw controlError(`unknown follower ${openid}: register it with POST /sandbox/oa/users first`, 40003, 404);
    const rule = WINDOWS[kind];
    user.windows[kind] = { until: this.now() + rule.durationMs, remaining: rule.limit };
    return user;
  }

  mintLoginCode(input: MintLoginCodeInput): string {
    if (typeof input.openid !== 'string' || input.openid.trim() === '') throw controlError('openid is required');
    if (input.unionid !== undefined && typeof input.unionid !== 'string') throw controlError('unionid must be a string');
    const app = this.defaultApp('mp', input.appid);
    const key = userKey(app.appid, input.openid);
    const user = this.mpUsers.get(key) ?? { appid: app.appid, openid: input.openid, sessionKey: '' };
    if (input.unionid !== undefined) user.unionid = input.unionid;
    this.mpUsers.set(key, user);
    const code = randomToken(24);
    this.loginCodes.set(code, { code, appid: app.appid, openid: input.openid, expiresAt: this.now() + LOGIN_CODE_TTL_MS, used: false });
    return code;
  }

  // ---- tags ----------------------------------------------------------------------------------

  tagsOf(appid: string): Map<number, Tag> {
    let tags = this.tags.get(appid);
    if (!tags) {
      // Every Official Account has the system tag 2 "星标组".
      tags = new Map([[2, { id: 2, name: '星标组' }]]);
      this.tags.set(appid, tags);
      this.nextTagId.set(appid, 100);
    }
    return tags;
  }

  createTag(appid: string, name: string): Tag {
    const tags = this.tagsOf(appid);
    const id = this.nextTagId.get(appid) ?? 100;
    this.nextTagId.set(appid, id + 1);
    const tag = { id, name };
    tags.set(id, tag);
    return tag;
  }

  // ---- messages ------------------------------------------------------------------------------

  record(kind: MessageKind, appid: string, openid: string, payload: unknown, msgid?: number): SentMessage {
    const message: SentMessage = {
      id: ++this.seq,
      kind,
      appid,
      openid,
      payload: structuredClone(payload),
      at: new Date(this.now()).toISOString(),
    };
    if (msgid !== undefined) message.msgid = msgid;
    this.messages.push(message);
    return message;
  }

  sent(filter: { openid?: string; kind?: MessageKind; appid?: string } = {}): SentMessage[] {
    return this.messages.filter(
      (m) =>
        (filter.openid === undefined || m.openid === filter.openid) &&
        (filter.kind === undefined || m.kind === filter.kind) &&
        (filter.appid === undefined || m.appid === filter.appid),
    );
  }

  // ---- SMS inbox -----------------------------------------------------------------------------

  recordSms(phone: string, text: string): SmsRecord {
    if (typeof phone !== 'string' || !/^\+?\d{5,20}$/.test(phone)) throw controlError('phone must be a phone number');
    if (typeof text !== 'string' || text === '' || text.length > 1000) throw controlError('text must be 1–1000 characters');
    const sms: SmsRecord = { phone, text, code: /(?<!\d)\d{4,8}(?!\d)/.exec(text)?.[0] ?? null, at: new Date(this.now()).toISOString() };
    this.smsInbox.push(sms);
    if (this.smsInbox.length > MAX_SMS) this.smsInbox.splice(0, this.smsInbox.length - MAX_SMS);
    return sms;
  }

  sms(phone?: string): SmsRecord[] {
    return this.smsInbox.filter((sms) => phone === undefined || sms.phone === phone).map((sms) => ({ ...sms }));
  }

  logCall(call: Omit<CallRecord, 'at'>): void {
    this.calls.push({ at: new Date(this.now()).toISOString(), ...call });
    if (this.calls.length > MAX_CALL_LOG) this.calls.splice(0, this.calls.length - MAX_CALL_LOG);
  }
}
