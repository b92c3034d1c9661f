// Access tokens and the callback IP list. WeChat documents followed:
//   - "获取 Access token" (/doc/offiaccount/Basic_Information/Get_access_token.html, GET cgi-bin/token):
//     a new grant keeps the previous token valid for 5 more minutes; older ones die at once.
//   - "获取稳定版接口调用凭据" (/doc/service/api/base/api_getstableaccesstoken.html, POST cgi-bin/stable_token):
//     isolated from cgi-bin/token; force_refresh false returns the same token while it is valid
//     (renewed in its last 5 minutes); force_refresh true retires the previous stable token at once.
//   - "获取微信服务器IP地址" (/doc/offiaccount/Basic_Information/Get_the_WeChat_server_IP_address.html,
//     GET cgi-bin/getcallbackip → ip_list).
import type Router from '@koa/router';
import { wxError } from './errors.js';
import { handle, queryParam, readBody, requireAnyToken, type SandboxCtxState } from './http.js';
import { randomToken, TOKEN_OVERLAP_MS, TOKEN_TTL_SECONDS, type SandboxApp, type SandboxStore, type TokenRecord } from './state.js';

/** The addresses WeChat's callbacks come from (documentation example addresses). */
export const CALLBACK_IPS = ['101.226.62.77', '101.226.62.78', '101.226.62.79', '101.226.62.80', '101.226.62.81'];

/** The appid/secret check shared by the token APIs and /sns/jscode2session. */
export function checkAppCredentials(store: SandboxStore, appid: string, secret: string): SandboxApp {
  if (appid === '') throw wxError(41002);
  if (secret === '') throw wxError(41004);
  const app = store.apps.get(appid);
  if (!app) throw wxError(40013);
  if (app.secret !== secret) throw wxError(40125);
  return app;
}

function grantStableToken(store: SandboxStore, appid: string, forceRefresh: boolean): TokenRecord {
  const now = store.now();
  const current = store.stableTokens.get(appid);
  const record = current ? store.tokens.get(current.token) : undefined;
  const usable = record && record.invalidAfter > now && record.expiresAt - now > TOKEN_OVERLAP_MS;
  if (usable && !forceRefresh) return record;
  // Force refresh retires the previous stable token at once; a renewal in its last 5 minutes does not.
  if (record && forceRefresh) record.invalidAfter = Math.min(record.invalidAfter, now);
  const fresh: TokenRecord = {
    token: randomToken(48),
    appid,
    expiresAt: now + TOKEN_TTL_SECONDS * 1000,
    invalidAfter: Number.POSITIVE_INFINITY,
    stable: true,
  };
  store.tokens.set(fresh.token, fresh);
  store.stableTokens.set(appid, { token: fresh.token, expiresAt: fresh.expiresAt });
  store.tokenGrants.set(appid, (store.tokenGrants.get(appid) ?? 0) + 1);
  return fresh;
}

export function registerTokenRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  router.get(
    '/cgi-bin/token',
    handle((ctx) => {
      if (queryParam(ctx, 'grant_type') !== 'client_credential') throw wxError(40002);
      const app = checkAppCredentials(store, queryParam(ctx, 'appid'), queryParam(ctx, 'secret'));
      ctx.state.sandboxApp = app;
      const record = store.grantToken(app.appid);
      return { access_token: record.token, expires_in: TOKEN_TTL_SECONDS };
    }),
  );

  router.post(
    '/cgi-bin/stable_token',
    handle((ctx) => {
      const body = readBody(ctx);
      if (body.grant_type !== 'client_credential') throw wxError(40002);
      const str = (value: unknown) => (typeof value === 'string' ? value : '');
      const app = checkAppCredentials(store, str(body.appid), str(body.secret));
      ctx.state.sandboxApp = app;
      const force = body.force_refresh;
      if (force !== undefined && typeof force !== 'boolean') throw wxError(47001, 'force_refresh');
      const record = grantStableToken(store, app.appid, force === true);
      return { access_token: record.token, expires_in: Math.floor((record.expiresAt - store.now()) / 1000) };
    }),
  );

  router.get(
    '/cgi-bin/getcallbackip',
    requireAnyToken(store),
    handle(() => ({ ip_list: CALLBACK_IPS })),
  );
}
