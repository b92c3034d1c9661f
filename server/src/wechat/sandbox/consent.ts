// Subscribe-message consent (一次性订阅), the smallest version of contract 1 until the sandbox's
// own lands: POST /sandbox/mp/subscribe-consent {openid, templateIds, appid?} grants ONE send per
// listed template (each tap of 允许 in wx.requestSubscribeMessage allows one); subscribe/send
// without a grant left answers 43101, and each successful send spends one.
import type Router from '@koa/router';
import { controlError, ok, rid } from './errors.js';
import { appOf, handle, optString, readBody, requireToken, type SandboxContext, type SandboxCtxState } from './http.js';
import type { SandboxStore } from './state.js';

export function registerConsentRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  const grants = new Map<string, number>();
  const key = (appid: string, openid: string, templateId: string) => `${appid}\n${openid}\n${templateId}`;

  router.post(
    '/mp/subscribe-consent',
    handle((ctx) => {
      const body = readBody(ctx);
      const openid = optString(body.openid);
      if (!openid) throw controlError('openid is required');
      const templateIds = body.templateIds;
      if (!Array.isArray(templateIds) || templateIds.length === 0 || !templateIds.every((id) => typeof id === 'string' && id !== '')) {
        throw controlError('templateIds must be a non-empty list of template ids');
      }
      const app = store.defaultApp('mp', optString(body.appid));
      const granted: Record<string, number> = {};
      for (const templateId of templateIds as string[]) {
        const k = key(app.appid, openid, templateId);
        grants.set(k, (grants.get(k) ?? 0) + 1);
        granted[templateId] = grants.get(k)!;
      }
      return ok({ granted });
    }),
  );

  // Runs before the send route (registered first): refuse without a grant, spend one on success.
  router.post('/cgi-bin/message/subscribe/send', requireToken(store, 'mp'), async (ctx, next) => {
    const body = readBody(ctx as SandboxContext);
    const [openid, templateId] = [optString(body.touser), optString(body.template_id)];
    // No (known) recipient or template: the send route's own error (40003, 40037).
    const appid = appOf(ctx as SandboxContext).appid;
    if (!openid || !templateId || !store.mpUser(appid, openid)) return next();
    const k = key(appid, openid, templateId);
    const left = grants.get(k) ?? 0;
    if (left <= 0) {
      ctx.type = 'application/json';
      ctx.body = { errcode: 43101, errmsg: `user refuse to accept the msg rid: ${rid()}` };
      return;
    }
    // Taken before the send (two sends at once cannot both use the last one), given back if it fails.
    grants.set(k, left - 1);
    let sent = false;
    try {
      await next();
      sent = (ctx.body as { errcode?: unknown } | undefined)?.errcode === 0;
    } finally {
      if (!sent) grants.set(k, (grants.get(k) ?? 0) + 1);
    }
  });
}
