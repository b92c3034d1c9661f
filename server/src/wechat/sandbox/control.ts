// The sandbox's own control and inspection endpoints (not WeChat APIs, no access token): act as a
// WeChat user (follow, interact, log in to the mini-program) and look at what was sent.
// Bad input answers HTTP 400 with a WeChat-shaped body, `{"errcode":47001,"errmsg":"data format error: …"}`
// (40013 for an unknown appid, 40003 with HTTP 404 for an unknown follower).
import type Router from '@koa/router';
import { controlError } from './errors.js';
import { handle, optString, queryParam, readBody, type SandboxContext, type SandboxCtxState } from './http.js';
import type { MessageKind, OaUser, RegisterOaUserInput, SandboxStore } from './state.js';

const KINDS: readonly MessageKind[] = ['template', 'custom', 'mass', 'subscribe'];

/** How the sandbox sees a follower (for tests and the simulator). */
export function oaUserView(user: OaUser) {
  return {
    appid: user.appid,
    openid: user.openid,
    unionid: user.unionid ?? null,
    nickname: user.nickname ?? null,
    subscribed: user.subscribed,
    subscribeTime: user.subscribeTime,
    scene: user.subscribeScene,
    qrScene: user.qrScene,
    qrSceneStr: user.qrSceneStr,
    tagIds: [...user.tagIds],
    windows: structuredClone(user.windows),
  };
}

function field<T>(body: Record<string, unknown>, name: string, type: 'string' | 'boolean' | 'number'): T | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== type || (type === 'number' && !Number.isInteger(value))) {
    throw controlError(`${name} must be ${type === 'number' ? 'an integer' : `a ${type}`}`);
  }
  return value as T;
}

function appidOf(ctx: SandboxContext, body?: Record<string, unknown>): string | undefined {
  return (body ? field<string>(body, 'appid', 'string') : undefined) ?? optString(queryParam(ctx, 'appid'));
}

export function registerControlRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  router.post(
    '/mp/login-code',
    handle((ctx) => {
      const body = readBody(ctx);
      const openid = field<string>(body, 'openid', 'string');
      if (!openid) throw controlError('openid is required');
      const unionid = field<string>(body, 'unionid', 'string');
      const appid = appidOf(ctx, body);
      const code = store.mintLoginCode({ openid, ...(unionid ? { unionid } : {}), ...(appid ? { appid } : {}) });
      return { code };
    }),
  );

  router.post(
    '/oa/users',
    handle((ctx) => {
      const body = readBody(ctx);
      const input: RegisterOaUserInput = { openid: field<string>(body, 'openid', 'string') ?? '' };
      const strings = ['unionid', 'nickname', 'scene', 'qrSceneStr', 'language', 'remark', 'appid'] as const;
      for (const name of strings) {
        const value = field<string>(body, name, 'string');
        if (value !== undefined) input[name] = value;
      }
      const subscribed = field<boolean>(body, 'subscribed', 'boolean');
      if (subscribed !== undefined) input.subscribed = subscribed;
      const qrScene = field<number>(body, 'qrScene', 'number');
      if (qrScene !== undefined) input.qrScene = qrScene;
      return { user: oaUserView(store.registerOaUser(input)) };
    }),
  );

  // Many followers at once (sync tests): `${prefix}${n}` with unionid `${unionidPrefix}${n}`, n from `start`.
  router.post(
    '/oa/users/bulk',
    handle((ctx) => {
      const body = readBody(ctx);
      const count = field<number>(body, 'count', 'number') ?? 0;
      if (count < 1 || count > 100_000) throw controlError('count must be 1–100000');
      const start = field<number>(body, 'start', 'number') ?? 1;
      const prefix = field<string>(body, 'prefix', 'string') ?? 'oBulkFollower';
      const unionidPrefix = field<string>(body, 'unionidPrefix', 'string');
      const appid = appidOf(ctx, body);
      for (let n = start; n < start + count; n += 1) {
        store.registerOaUser({
          openid: `${prefix}${n}`,
          ...(unionidPrefix !== undefined ? { unionid: `${unionidPrefix}${n}` } : {}),
          ...(appid ? { appid } : {}),
        });
      }
      return { created: count };
    }),
  );

  router.get(
    '/oa/users',
    handle((ctx) => {
      const app = store.defaultApp('oa', appidOf(ctx));
      const users = [...store.oaUsers.values()].filter((user) => user.appid === app.appid);
      return { items: users.map(oaUserView) };
    }),
  );

  router.get(
    '/oa/users/:openid',
    handle((ctx) => {
      const app = store.defaultApp('oa', appidOf(ctx));
      const user = store.oaUser(app.appid, ctx.params.openid ?? '');
      if (!user) throw controlError(`unknown follower ${ctx.params.openid}`, 40003, 404);
      return { user: oaUserView(user) };
    }),
  );

  router.post(
    '/oa/interactions',
    handle((ctx) => {
      const body = readBody(ctx);
      const openid = field<string>(body, 'openid', 'string');
      if (!openid) throw controlError('openid is required');
      const kind = body.kind;
      if (kind !== 'message' && kind !== 'event') throw controlError("kind must be 'message' or 'event'");
      const user = store.recordInteraction(openid, kind, appidOf(ctx, body));
      return { user: oaUserView(user) };
    }),
  );

  router.get(
    '/messages',
    handle((ctx) => {
      const kind = optString(queryParam(ctx, 'kind'));
      if (kind !== undefined && !(KINDS as readonly string[]).includes(kind)) {
        throw controlError(`kind must be one of ${KINDS.join(', ')}`);
      }
      const openid = optString(queryParam(ctx, 'openid'));
      const appid = optString(queryParam(ctx, 'appid'));
      const items = store.sent({
        ...(openid ? { openid } : {}),
        ...(kind ? { kind: kind as MessageKind } : {}),
        ...(appid ? { appid } : {}),
      });
      return { items };
    }),
  );

  router.delete(
    '/messages',
    handle(() => {
      const cleared = store.messages.length;
      store.messages = [];
      return { cleared };
    }),
  );

  for (const action of ['invalidate', 'expire'] as const) {
    router.post(
      `/tokens/${action}`,
      handle((ctx) => {
        const body = readBody(ctx);
        const appid = field<string>(body, 'appid', 'string');
        if (!appid || !store.apps.has(appid)) throw controlError('appid must name an app of the sandbox', 40013);
        if (action === 'invalidate') store.invalidateTokens(appid);
        else store.expireTokens(appid);
        return { appid, [action === 'invalidate' ? 'invalidated' : 'expired']: true };
      }),
    );
  }

  router.get(
    '/calls',
    handle(() => ({ tokenGrants: Object.fromEntries(store.tokenGrants), items: store.calls })),
  );

  router.get(
    '/qrcodes',
    handle(() => ({
      items: [...store.qrCodes.values()].map((code) => ({
        ...code,
        expiresAt: code.expiresAt === undefined ? null : new Date(code.expiresAt).toISOString(),
      })),
    })),
  );

  // SMS inbox: what Qiao's development SMS sender "sent" (newest last).
  router.post(
    '/sms',
    handle((ctx) => {
      const body = readBody(ctx);
      const phone = field<string>(body, 'phone', 'string');
      const text = field<string>(body, 'text', 'string');
      if (!phone || !text) throw controlError('phone and text are required');
      return { sms: store.recordSms(phone, text) };
    }),
  );

  router.get(
    '/sms',
    handle((ctx) => ({ items: store.sms(optString(queryParam(ctx, 'phone'))) })),
  );

  router.delete(
    '/sms',
    handle(() => {
      const cleared = store.smsInbox.length;
      store.smsInbox = [];
      return { cleared };
    }),
  );

  router.post(
    '/reset',
    handle(() => {
      store.reset();
      return { reset: true };
    }),
  );
}
