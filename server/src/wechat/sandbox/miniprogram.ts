// Mini-program. WeChat documents followed:
//   - "小程序登录 code2Session" (/miniprogram/dev/OpenApiDoc/user-login/code2Session.html,
//     GET sns/jscode2session): a code is single use and valid 5 minutes; a used code → 40163
//     ("code been used"), an unknown or expired one → 40029.
//   - "发送订阅消息" (/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html,
//     POST cgi-bin/message/subscribe/send): 40037 unknown template, 47003 bad data, 43101 without
//     a consent left (each tap of 允许 allows one send).
// Login codes come from POST /sandbox/mp/login-code (what wx.login gives the mini-program).
import type Router from '@koa/router';
import { ok, wxError } from './errors.js';
import { appOf, handle, optString, queryParam, readBody, requireToken, type SandboxCtxState } from './http.js';
import { checkTemplateValues, findTemplate, spendConsent } from './templates.js';
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
      if (!code || code.appid !== app.appid || code.expiresAt <= store.now()) throw wxError(40029);
      if (code.used) throw wxError(40163);
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
      const template = findTemplate(store, appid, body.template_id);
      checkTemplateValues(template, body.data);
      if (body.page !== undefined && typeof body.page !== 'string') throw wxError(47001, 'page');
      const state = body.miniprogram_state;
      if (state !== undefined && !(MINIPROGRAM_STATES as readonly unknown[]).includes(state)) {
        throw wxError(47001, 'miniprogram_state');
      }
      spendConsent(store, appid, user.openid, template.templateId);
      store.record('subscribe', appid, user.openid, body);
      return ok();
    }),
  );
}
