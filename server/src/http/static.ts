// Serves the built web apps: the admin console at /admin/ and the mini-program's H5 build at /h5/.
import { existsSync } from 'node:fs';
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

async function serve(ctx: Context, app: WebApp, rest: string) {
  if (!existsSync(path.join(app.root, 'index.html'))) {
    throw new AppError(503, 'APP_NOT_BUILT', `${app.name}尚未构建，请运行 npm run build`);
  }
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
