// Mini-program: GET /sns/jscode2session (login; appid + secret, no access token) and
// POST /cgi-bin/message/subscribe/send (subscribe messages).
// Login codes come from POST /sandbox/mp/login-code (what wx.login gives the mini-program); they
// are single use and expire after 5 minutes, like WeChat's.
import type Router from '@koa/router';
import { ok, wxError } from './errors.js';
import { appOf, handle, optString, queryParam, readBody, requireToken, type SandboxCtxState } from './http.js';
import { checkTemplateData } from './message.js';
import { randomToken, type SandboxStore } from './state.js';
import { checkAppCredentials } from './token.js';

const MINIPROGRAM_STATES = ['developer', 'trial', 'formal'] as const;

export function registerMiniProgramRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  router.get(
    '/sns/jscode2session',
    handle((ctx) => {
      const app = checkAppCredentials(store, queryParam(ctx, 'appid'), queryParam(ctx, 'secret'));
      ctx.state.sandboxApp = app;
      if (app.kind !== 'mp') throw wxError(40013);
      if (queryParam(ctx, 'grant_type') !== 'authorization_code') throw wxError(40002);
      const jsCode = queryParam(ctx, 'js_code');
      if (jsCode === '') throw wxError(41008);
      const code = store.loginCodes.get(jsCode);
      if (!code || code.used || code.appid !== app.appid || code.expiresAt <= store.now()) throw wxError(40029);
      code.used = true;
      const user = store.mpUser(app.appid, code.openid);
      if (!user) throw wxError(40029);
      // Every login gives a new session key.
      user.sessionKey = randomToken(16);
      return {
        session_key: user.sessionKey,
        openid: user.openid,
        ...(user.unionid ? { unionid: user.unionid } : {}),
      };
    }),
  );

  router.post(
    '/cgi-bin/message/subscribe/send',
    requireToken(store, 'mp'),
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const body = readBody(ctx);
      const openid = optString(body.touser);
      const user = openid ? store.mpUser(appid, openid) : undefined;
      if (!user) throw wxError(40003);
      if (!optString(body.template_id)) throw wxError(40037);
      checkTemplateData(body.data);
      if (body.page !== undefined && typeof body.page !== 'string') throw wxError(47001, 'page');
      const state = body.miniprogram_state;
      if (state !== undefined && !(MINIPROGRAM_STATES as readonly unknown[]).includes(state)) {
        throw wxError(47001, 'miniprogram_state');
      }
      store.record('subscribe', appid, user.openid, body);
      return ok();
    }),
  );
}
