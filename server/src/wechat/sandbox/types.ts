// The shapes of what the sandbox remembers (its state lives in state.ts).
import type { TemplateSeed } from './templates.js';

export interface SandboxApp {
  appid: string;
  secret: string;
  /** 'oa' = Official Account (service account), 'mp' = mini-program. */
  kind: 'oa' | 'mp';
}

export interface SandboxOptions {
  apps: SandboxApp[];
  /** Current time in ms; tests pass a movable clock. */
  now?: () => number;
  /** Mass messages a follower receives per calendar month (service account rule: 4). 0 = no limit. */
  massMonthlyLimitPerUser?: number;
  /** Templates registered at start besides Qiao's defaults (ids set through WECHAT_TEMPLATE_*). */
  templates?: TemplateSeed[];
}

export type MessageKind = 'template' | 'custom' | 'mass' | 'subscribe';

/** One message as delivered to one user. */
export interface SentMessage {
  id: number;
  kind: MessageKind;
  appid: string;
  openid: string;
  /** The request body as WeChat received it (for mass: the message part, without the filter). */
  payload: unknown;
  /** msgid of template messages, msg_id of mass jobs. */
  msgid?: number;
  /** ISO time of delivery. */
  at: string;
}

/** A text message the server sent through the sandbox's SMS inbox (not a WeChat API: a stand-in for an SMS provider). */
export interface SmsRecord {
  phone: string;
  text: string;
  /** The first run of 4–8 digits in the text (a verification code), or null. */
  code: string | null;
  /** ISO time of delivery. */
  at: string;
}

export interface CallRecord {
  at: string;
  method: string;
  path: string;
  appid: string | null;
  errcode: number;
}

export interface TokenRecord {
  token: string;
  appid: string;
  expiresAt: number;
  /** Set when a newer token was granted or the token was invalidated: 40001 from then on. */
  invalidAfter: number;
  /** Granted by stable_token: isolated from cgi-bin/token grants (WeChat: "互相隔离"). */
  stable?: boolean;
}

/** A customer-service window: opened by a user interaction, allows `remaining` messages until `until`. */
export interface ServiceWindow {
  until: number;
  remaining: number;
}

export interface OaUser {
  appid: string;
  openid: string;
  unionid?: string;
  nickname?: string;
  subscribed: boolean;
  /** Seconds, like WeChat. */
  subscribeTime: number;
  subscribeScene: string;
  qrScene: number;
  qrSceneStr: string;
  language: string;
  remark: string;
  tagIds: number[];
  windows: { message?: ServiceWindow; event?: ServiceWindow };
  /** Mass messages received in `month` (YYYY-MM, China time). */
  mass: { month: string; count: number };
}

export interface MpUser {
  appid: string;
  openid: string;
  unionid?: string;
  sessionKey: string;
}

export interface LoginCode {
  code: string;
  appid: string;
  openid: string;
  expiresAt: number;
  used: boolean;
}

/** A stable_token grant: one per app, handed to every caller until it expires or is force-refreshed. */
export interface StableTokenRecord {
  token: string;
  expiresAt: number;
}

export interface Tag {
  id: number;
  name: string;
}

export interface QrCode {
  ticket: string;
  appid: string;
  action_name: string;
  scene_id?: number;
  scene_str?: string;
  /** undefined for permanent codes. */
  expiresAt?: number;
  url: string;
}

export interface RegisterOaUserInput {
  openid: string;
  unionid?: string;
  nickname?: string;
  /** Default true. */
  subscribed?: boolean;
  /** subscribe_scene, e.g. ADD_SCENE_QR_CODE; default ADD_SCENE_QR_CODE with a QR scene, else ADD_SCENE_OTHERS. */
  scene?: string;
  qrScene?: number;
  qrSceneStr?: string;
  language?: string;
  remark?: string;
  /** Official Account appid; default the first 'oa' app. */
  appid?: string;
}

export interface MintLoginCodeInput {
  openid: string;
  unionid?: string;
  /** Mini-program appid; default the first 'mp' app. */
  appid?: string;
}
