// Official Account user info: GET /cgi-bin/user/info and POST /cgi-bin/user/info/batchget.
// Since 2021 WeChat no longer returns nickname/headimgurl here, so neither does the sandbox.
import type Router from '@koa/router';
import { wxError } from './errors.js';
import { appOf, handle, isObject, optString, queryParam, readBody, requireToken, type SandboxCtxState } from './http.js';
import type { OaUser, SandboxStore } from './state.js';

export const BATCHGET_MAX = 100;

/** The user/info answer for one follower, as WeChat shapes it. */
export function userInfo(user: OaUser): Record<string, unknown> {
  if (!user.subscribed) {
    return { subscribe: 0, openid: user.openid, ...(user.unionid ? { unionid: user.unionid } : {}) };
  }
  return {
    subscribe: 1,
    openid: user.openid,
    language: user.language,
    subscribe_time: user.subscribeTime,
    ...(user.unionid ? { unionid: user.unionid } : {}),
    remark: user.remark,
    groupid: 0,
    tagid_list: [...user.tagIds],
    subscribe_scene: user.subscribeScene,
    qr_scene: user.qrScene,
    qr_scene_str: user.qrSceneStr,
  };
}

export function registerUserRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  router.get(
    '/cgi-bin/user/info',
    requireToken(store, 'oa'),
    handle((ctx) => {
      const openid = queryParam(ctx, 'openid');
      const user = openid ? store.oaUser(appOf(ctx).appid, openid) : undefined;
      if (!user) throw wxError(40003);
      return userInfo(user);
    }),
  );

  router.post(
    '/cgi-bin/user/info/batchget',
    requireToken(store, 'oa'),
    handle((ctx) => {
      const list = readBody(ctx).user_list;
      if (!Array.isArray(list) || list.length === 0 || list.length > BATCHGET_MAX) throw wxError(40032);
      const appid = appOf(ctx).appid;
      const users = list.map((item) => {
        const openid = isObject(item) ? optString(item.openid) : undefined;
        const user = openid ? store.oaUser(appid, openid) : undefined;
        if (!user) throw wxError(40003);
        return userInfo(user);
      });
      return { user_info_list: users };
    }),
  );
}
