import type Router from '@koa/router';
import { pingDatabase } from '../db/connection.js';

/** GET /healthz — 200 when the database answers, 503 when it does not. */
export function healthRoutes(router: Router): void {
  router.get('/healthz', async (ctx) => {
    const dbOk = await pingDatabase();
    ctx.set('Cache-Control', 'no-store');
    ctx.status = dbOk ? 200 : 503;
    ctx.body = { status: dbOk ? 'ok' : 'unavailable', db: dbOk ? 'ok' : 'unreachable' };
  });
}
