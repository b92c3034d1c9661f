// GET /cgi-bin/ticket/getticket?type=jsapi — the JS-SDK ticket. Like WeChat, the same ticket is
// answered until it expires (7200 s); callers are expected to cache it.
import type Router from '@koa/router';
import { ok, wxError } from './errors.js';
import { appOf, handle, queryParam, requireToken, type SandboxCtxState } from './http.js';
import { randomToken, TOKEN_TTL_SECONDS, type SandboxStore } from './state.js';

export function registerTicketRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  router.get(
    '/cgi-bin/ticket/getticket',
    requireToken(store, 'oa'),
    handle((ctx) => {
      const type = queryParam(ctx, 'type');
      if (type !== 'jsapi' && type !== 'wx_card') throw wxError(40097, 'type must be jsapi or wx_card');
      const app = appOf(ctx);
      const key = `${app.appid}:${type}`;
      const now = store.now();
      let ticket = store.jsapiTickets.get(key);
      if (!ticket || ticket.expiresAt <= now) {
        ticket = { ticket: randomToken(64), expiresAt: now + TOKEN_TTL_SECONDS * 1000 };
        store.jsapiTickets.set(key, ticket);
      }
      return ok({ ticket: ticket.ticket, expires_in: Math.max(1, Math.round((ticket.expiresAt - now) / 1000)) });
    }),
  );
}
