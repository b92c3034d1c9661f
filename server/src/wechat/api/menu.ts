// The custom menu (WeChat: "自定义菜单"): ≤ 3 top-level buttons of ≤ 16 bytes, ≤ 5 sub-buttons of
// ≤ 60 bytes each; WeChat answers 40016–40027 for a menu breaking these rules.
import type { WeChatCore } from './client.js';

export type MenuButton =
  | { type: 'click' | 'scancode_push' | 'scancode_waitmsg' | 'pic_sysphoto' | 'pic_photo_or_album' | 'pic_weixin' | 'location_select'; name: string; key: string }
  | { type: 'view'; name: string; url: string }
  | { type: 'miniprogram'; name: string; url: string; appid: string; pagepath: string }
  | { type: 'media_id' | 'view_limited'; name: string; media_id: string }
  | { type: 'article_id' | 'article_view_limited'; name: string; article_id: string };

export type TopMenuButton = MenuButton | { name: string; sub_button: MenuButton[] };

export interface Menu {
  button: TopMenuButton[];
}

export function menuApi(core: WeChatCore) {
  return {
    async createMenu(menu: Menu): Promise<void> {
      await core.request({ method: 'POST', path: '/cgi-bin/menu/create', body: menu, idempotent: true });
    },

    /** The menu set through the API, or null when there is none (46003). */
    async getMenu(): Promise<(Menu & { menuid?: number }) | null> {
      const answer = await core.request<{ errcode?: number; menu?: Menu & { menuid?: number } }>({ path: '/cgi-bin/menu/get', allowErrcodes: [46003] });
      return answer.errcode === 46003 || !answer.menu ? null : answer.menu;
    },

    async deleteMenu(): Promise<void> {
      await core.request({ path: '/cgi-bin/menu/delete' });
    },
  };
}

export type MenuApi = ReturnType<typeof menuApi>;
