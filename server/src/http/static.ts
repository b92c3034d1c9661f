// Serves the built web apps: the admin console at /admin/ and the mini-program's H5 build at /h5/.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type Router from '@koa/router';
import type { Context } from 'koa';
import send from 'koa-send';
import { AppError } from '../errors.js';

export interface WebApp {
  /** URL prefix without trailing slash, e.g. /admin */
  prefix: string;
  root: string;
  name: string;
}

/** sha256 sources of the page's inline scripts (Taro's H5 page sets its root font size inline). */
function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/gi)]
    .filter((match) => match[1])
    .map((match) => `'sha256-${createHash('sha256').update(match[1]!).digest('base64')}'`);
}

const policies = new Map<string, { mtimeMs: number; policy: string }>();

/**
 * Content-Security-Policy the built apps work under: scripts only from this origin (plus the
 * page's own inline scripts, by hash); inline styles (antd's CSS-in-JS inserts <style> elements,
 * Taro sets style attributes); data: images and fonts (icons); blob: images and fetches (photo
 * previews and uploads of picked photos); never framed.
 */
function contentSecurityPolicy(app: WebApp): string {
  const index = path.join(app.root, 'index.html');
  const { mtimeMs } = statSync(index);
  const cached = policies.get(app.root);
  if (cached?.mtimeMs === mtimeMs) return cached.policy;
  const policy = [
    "default-src 'self'",
    // H5 also loads WeChat's JS-SDK from res.wx.qq.com (the campaign landing page's share data).
    `script-src ${["'self'", ...inlineScriptHashes(readFileSync(index, 'utf8')), ...(app.prefix === '/h5' ? ['https://res.wx.qq.com'] : [])].join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' blob:",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  policies.set(app.root, { mtimeMs, policy });
  return policy;
}

function securityHeaders(ctx: Context, app: WebApp) {
  ctx.set('Content-Security-Policy', contentSecurityPolicy(app));
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('X-Content-Type-Options', 'nosniff');
  // Signed file links carry their signature in the URL: never hand it to another site.
  ctx.set('Referrer-Policy', 'same-origin');
}

async function serve(ctx: Context, app: WebApp, rest: string) {
  if (!existsSync(path.join(app.root, 'index.html'))) {
    throw new AppError(503, 'APP_NOT_BUILT', `${app.name}尚未构建，请运行 npm run build`);
  }
  securityHeaders(ctx, app);
  const file = rest.replace(/^\/+/, '');
  const isAsset = file !== '' && path.extname(file) !== '' && existsSync(path.join(app.root, file));
  if (isAsset) {
    // Built assets carry a content hash in their names: cache them for good.
    const hashed = /[.-][A-Za-z0-9_-]{8,}\.(js|css|woff2?|png|svg|jpg)$/.test(file);
    await send(ctx, file, { root: app.root, maxage: hashed ? 365 * 24 * 3600_000 : 0, immutable: hashed });
    return;
  }
  if (path.extname(file) !== '' && !file.endsWith('.html')) {
    throw new AppError(404, 'NOT_FOUND', '请求的资源不存在');
  }
  // Client-side routes fall back to the app's page.
  ctx.set('Cache-Control', 'no-cache');
  await send(ctx, 'index.html', { root: app.root });
}

export function webAppRoutes(router: Router, apps: WebApp[]): void {
  for (const app of apps) {
    // The router matches `/h5` and `/h5/` alike: only the bare prefix is redirected.
    router.get(app.prefix, (ctx) =>
      ctx.path === app.prefix ? ctx.redirect(`${app.prefix}/${ctx.querystring ? `?${ctx.querystring}` : ''}`) : serve(ctx, app, ''),
    );
    router.get(`${app.prefix}/{*rest}`, (ctx) => serve(ctx, app, String(ctx.params.rest ?? '')));
  }
  router.get('/', (ctx) => ctx.redirect('/admin/'));
}
