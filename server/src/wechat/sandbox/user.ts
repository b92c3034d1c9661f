// Official Account users. WeChat documents followed:
//   - "获取用户基本信息(UnionID机制)" (/doc/offiaccount/User_Management/Get_users_basic_information_UnionID.html,
//     GET cgi-bin/user/info, POST cgi-bin/user/info/batchget ≤ 100 openids → else 40032); since
//     2021 no nickname/headimgurl, so neither here.
//   - "获取用户列表" (/doc/offiaccount/User_Management/Getting_a_User_List.html, GET cgi-bin/user/get):
//     10,000 openids a page in follow order; `next_openid` is the last openid of the page, and
//     asking after the last one answers count 0.
import type Router from '@koa/router';
import { wxError } from './errors.js';
import { appOf, handle, isObject, optString, queryParam, readBody, requireToken, type SandboxCtxState } from './http.js';
import type { OaUser, SandboxStore } from './state.js';

export const BATCHGET_MAX = 100;
export const USER_GET_PAGE = 10_000;

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

  router.get(
    '/cgi-bin/user/get',
    requireToken(store, 'oa'),
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const followers = [...store.oaUsers.values()].filter((u) => u.appid === appid && u.subscribed);
      const next = queryParam(ctx, 'next_openid');
      let start = 0;
      if (next !== '') {
        const index = followers.findIndex((u) => u.openid === next);
        if (index < 0) throw wxError(40003);
        start = index + 1;
      }
      const page = followers.slice(start, start + USER_GET_PAGE).map((u) => u.openid);
      return {
        total: followers.length,
        count: page.length,
        ...(page.length > 0 ? { data: { openid: page } } : {}),
        next_openid: page.at(-1) ?? '',
      };
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
