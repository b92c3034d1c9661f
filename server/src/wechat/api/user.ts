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

export function userApi(core: WeChatCore) {
  return {
    getUserInfo(openid: string, lang: WeChatLang = 'zh_CN'): Promise<WeChatUserInfo> {
      return core.request<WeChatUserInfo>({ path: '/cgi-bin/user/info', query: { openid, lang } });
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
