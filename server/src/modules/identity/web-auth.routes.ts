// Web authorisation routes. start and callback are browser navigations (WeChat's in-app browser):
// they answer redirects, and a Chinese HTML page when something is refused. The ticket exchange is
// an ordinary JSON API call of the H5 app.
import { oauthCallbackQuerySchema, oauthStartQuerySchema, oauthTicketRequestSchema } from '@qiao/shared';
import type { Context } from 'koa';
import { AppError } from '../../errors.js';
import { Reply, type ApiRoutes } from '../../http/route.js';
import {
  CALLBACK_PATH,
  finishWebAuth,
  isWeChatBrowser,
  redeemTicket,
  START_PATH,
  startWebAuth,
  WECHAT_OPEN_BASE,
  type WebAuthSource,
} from './web-auth.service.js';

export interface WebAuthDeps {
  wechat: WebAuthSource;
  /** Official Account appid. */
  appid: string;
  /** Where browsers are sent to authorise; undefined → this server's own sandbox. */
  openBase: string | undefined;
  /** Canonical external URL (the 网页授权域名); undefined → the request's own origin (development). */
  publicBaseUrl: string | undefined;
}

const BROWSER_COOKIE = 'qiao_oauth';
/** This request's own origin (development without PUBLIC_BASE_URL). */
const originOf = (ctx: Context) => `${ctx.protocol}://${ctx.host}`;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** A small page for people, not programs (no scripts: the API's CSP applies). */
function page(ctx: Context, status: number, title: string, message: string, code?: string): Reply {
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  const body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;padding:32px 20px;text-align:center;color:#333">
<h1 style="font-size:20px">${escapeHtml(title)}</h1><p id="message" style="color:#666">${escapeHtml(message)}</p>${
    code ? `<p style="color:#bbb;font-size:12px">${escapeHtml(code)}</p>` : ''
  }</body></html>`;
  return new Reply(status, body);
}

function redirect(ctx: Context, location: string): Reply {
  ctx.set('Location', location);
  ctx.set('Cache-Control', 'no-store');
  ctx.type = 'text/plain; charset=utf-8';
  return new Reply(302, `Redirecting to ${location}`);
}

export function webAuthRoutes(api: ApiRoutes, deps: WebAuthDeps): void {
  api.add({
    method: 'get',
    path: START_PATH,
    access: 'public',
    summary: '公众号网页授权：开始（跳转到微信授权页）',
    query: oauthStartQuerySchema,
    handler: async ({ query, ctx }) => {
      const openBase = deps.openBase ?? `${originOf(ctx)}/sandbox`;
      // WeChat's own authorize page only works inside WeChat: say so instead of a dead end.
      if (openBase === WECHAT_OPEN_BASE && !isWeChatBrowser(ctx.get('user-agent'))) {
        return page(ctx, 200, '请在微信中打开', '请在微信中打开此链接：长按复制链接后发送到微信，或在公众号菜单中进入自助服务。', 'OPEN_IN_WECHAT');
      }
      const { authorizeUrl, browserKey } = await startWebAuth({
        redirect: query.redirect,
        browserKey: ctx.cookies.get(BROWSER_COOKIE),
        appid: deps.appid,
        openBase,
        callbackUrl: `${deps.publicBaseUrl ?? originOf(ctx)}${CALLBACK_PATH}`,
      });
      ctx.cookies.set(BROWSER_COOKIE, browserKey, {
        httpOnly: true,
        sameSite: 'lax',
        secure: ctx.secure,
        path: '/api/v1/auth/oauth',
        maxAge: 30 * 24 * 3600_000,
      });
      return redirect(ctx, authorizeUrl);
    },
  });
  api.add({
    method: 'get',
    path: CALLBACK_PATH,
    access: 'public',
    summary: '公众号网页授权：微信回调（换取身份后进入 H5）',
    query: oauthCallbackQuerySchema,
    handler: async ({ query, ctx }) => {
      try {
        const { location } = await finishWebAuth(
          { code: query.code, state: query.state, browserKey: ctx.cookies.get(BROWSER_COOKIE) },
          deps.wechat,
        );
        return redirect(ctx, location);
      } catch (error) {
        // A browser (WeChat's) gets a page to read; a program the usual JSON error.
        if (!(error instanceof AppError) || ctx.accepts('json', 'html') !== 'html') throw error;
        return page(ctx, error.status, '登录失败', error.message, error.code);
      }
    },
  });
  api.add({
    method: 'post',
    path: '/api/v1/auth/oauth/ticket',
    access: 'public',
    summary: '公众号网页授权：用一次性票据换取会话（H5）',
    body: oauthTicketRequestSchema,
    handler: ({ body }) => redeemTicket(body.ticket),
  });
}
