// GET /cgi-bin/token — the access token (WeChat: "获取 Access token").
// A new grant does not kill the previous token at once: WeChat keeps it valid for 5 more minutes.
import type Router from '@koa/router';
import { wxError } from './errors.js';
import { handle, queryParam, type SandboxCtxState } from './http.js';
import { TOKEN_TTL_SECONDS, type SandboxApp, type SandboxStore } from './state.js';

/** The appid/secret check shared by /cgi-bin/token and /sns/jscode2session. */
export function checkAppCredentials(store: SandboxStore, appid: string, secret: string): SandboxApp {
  if (appid === '') throw wxError(41002);
  if (secret === '') throw wxError(41004);
  const app = store.apps.get(appid);
  if (!app) throw wxError(40013);
  if (app.secret !== secret) throw wxError(40125);
  return app;
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
}
