// Official Account users (WeChat: "用户管理 / 获取用户基本信息").
// Since 2021 user/info no longer returns nickname or avatar.
import type { WeChatCore } from './client.js';

export type WeChatLang = 'zh_CN' | 'zh_TW' | 'en';

/** user/info; an unsubscribed user has only `subscribe: 0`, `openid` and maybe `unionid`. */
export interface WeChatUserInfo {
  subscribe: 0 | 1;
  openid: string;
  unionid?: string;
  language?: string;
  /** Seconds since the epoch. */
  subscribe_time?: number;
  remark?: string;
  groupid?: number;
  tagid_list?: number[];
  /** ADD_SCENE_QR_CODE, ADD_SCENE_SEARCH, … */
  subscribe_scene?: string;
  qr_scene?: number;
  qr_scene_str?: string;
}

const BATCHGET_MAX = 100;

/** One page of user/get (WeChat: "获取用户列表", 10,000 openids a page). */
export interface FollowersPage {
  total: number;
  count: number;
  data?: { openid: string[] };
  /** The last openid of this page: pass it to get the next; '' or a page with count 0 ends the list. */
  next_openid: string;
}

export function userApi(core: WeChatCore) {
  return {
    getUserInfo(openid: string, lang: WeChatLang = 'zh_CN'): Promise<WeChatUserInfo> {
      return core.request<WeChatUserInfo>({ path: '/cgi-bin/user/info', query: { openid, lang } });
    },

    /** One page of followers after `nextOpenid` ('' = from the start). */
    getFollowers(nextOpenid = ''): Promise<FollowersPage> {
      return core.request<FollowersPage>({ path: '/cgi-bin/user/get', query: { next_openid: nextOpenid || undefined } });
    },

    /** Any number of openids; WeChat takes 100 per call, so this makes as many calls as needed. */
    async batchGetUserInfo(openids: readonly string[], lang: WeChatLang = 'zh_CN'): Promise<WeChatUserInfo[]> {
      const users: WeChatUserInfo[] = [];
      for (let i = 0; i < openids.length; i += BATCHGET_MAX) {
        const chunk = openids.slice(i, i + BATCHGET_MAX);
        const answer = await core.request<{ user_info_list?: WeChatUserInfo[] }>({
          method: 'POST',
          path: '/cgi-bin/user/info/batchget',
          body: { user_list: chunk.map((openid) => ({ openid, lang })) },
          idempotent: true,
        });
        users.push(...(answer.user_info_list ?? []));
      }
      return users;
    },
  };
}
