// Parametric QR codes: POST /cgi-bin/qrcode/create and GET /cgi-bin/showqrcode?ticket=.
// Temporary codes: expire_seconds 60 by default, at most 30 days, scene_id a 32-bit non-zero
// integer; permanent codes: scene_id 1–100000; scene_str 1–64 characters.
import type Router from '@koa/router';
import { wxError } from './errors.js';
import { appOf, handle, isObject, optInt, queryParam, readBody, requireToken, type SandboxCtxState } from './http.js';
import { randomToken, type QrCode, type SandboxStore } from './state.js';

export const QR_ACTIONS = ['QR_SCENE', 'QR_STR_SCENE', 'QR_LIMIT_SCENE', 'QR_LIMIT_STR_SCENE'] as const;
const TEMPORARY_MAX_SECONDS = 2_592_000;
const TEMPORARY_DEFAULT_SECONDS = 60;
const PERMANENT_SCENE_ID_MAX = 100_000;
const SCENE_STR_MAX = 64;

// A 1×1 transparent PNG: the sandbox does not draw real QR codes.
const PLACEHOLDER_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

export function registerQrCodeRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  router.post(
    '/cgi-bin/qrcode/create',
    requireToken(store, 'oa'),
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const body = readBody(ctx);
      const action = body.action_name;
      if (typeof action !== 'string' || !(QR_ACTIONS as readonly string[]).includes(action)) throw wxError(40052);
      const permanent = action.startsWith('QR_LIMIT_');
      const byString = action.endsWith('STR_SCENE');
      const scene = isObject(body.action_info) && isObject(body.action_info.scene) ? body.action_info.scene : undefined;
      if (!scene) throw wxError(40053);

      const code: QrCode = { ticket: '', appid, action_name: action, url: '' };
      if (byString) {
        const sceneStr = scene.scene_str;
        if (typeof sceneStr !== 'string' || sceneStr.length < 1 || sceneStr.length > SCENE_STR_MAX) throw wxError(40053);
        code.scene_str = sceneStr;
      } else {
        const sceneId = optInt(scene.scene_id);
        const max = permanent ? PERMANENT_SCENE_ID_MAX : 0xffff_ffff;
        if (sceneId === undefined || sceneId < 1 || sceneId > max) throw wxError(40053);
        code.scene_id = sceneId;
      }

      let expireSeconds: number | undefined;
      if (!permanent) {
        const requested = body.expire_seconds === undefined ? TEMPORARY_DEFAULT_SECONDS : optInt(body.expire_seconds);
        if (requested === undefined || requested < 1 || requested > TEMPORARY_MAX_SECONDS) {
          throw wxError(40097, `expire_seconds must be 1–${TEMPORARY_MAX_SECONDS}`);
        }
        expireSeconds = requested;
        code.expiresAt = store.now() + requested * 1000;
      }
      code.ticket = randomToken(48);
      code.url = `http://weixin.qq.com/q/${randomToken(18)}`;
      store.qrCodes.set(code.ticket, code);
      return { ticket: code.ticket, ...(expireSeconds !== undefined ? { expire_seconds: expireSeconds } : {}), url: code.url };
    }),
  );

  // WeChat serves the image from mp.weixin.qq.com without a token; the sandbox answers a placeholder.
  router.get('/cgi-bin/showqrcode', (ctx) => {
    const code = store.qrCodes.get(queryParam(ctx, 'ticket'));
    if (!code || (code.expiresAt !== undefined && code.expiresAt <= store.now())) {
      ctx.status = 404;
      ctx.type = 'application/json';
      ctx.body = { errcode: 40097, errmsg: 'invalid args: unknown or expired ticket' };
      return;
    }
    ctx.type = 'image/png';
    ctx.body = PLACEHOLDER_PNG;
  });
}
