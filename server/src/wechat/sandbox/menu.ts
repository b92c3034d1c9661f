// The custom menu. WeChat documents followed:
//   - "创建自定义菜单" (/doc/offiaccount/Custom_Menus/Creating_Custom-Defined_Menu.html, POST cgi-bin/menu/create):
//     1–3 top-level buttons (40016), each with 1–5 sub-buttons (40023); names ≤ 16 bytes at the top
//     (4 Chinese characters; 40018) and ≤ 60 bytes below (40025); key ≤ 128 bytes (40019 / 40026),
//     url ≤ 1024 bytes (40020 / 40027); types click, view, miniprogram, scancode_push,
//     scancode_waitmsg, pic_sysphoto, pic_photo_or_album, pic_weixin, location_select,
//     media_id, article_id, article_view_limited (else 40017 / 40024); click-like types need `key`,
//     view needs `url`, miniprogram needs `url`, `appid` and `pagepath`.
//   - "查询自定义菜单" (/doc/offiaccount/Custom_Menus/Querying_Custom_Menus.html, GET cgi-bin/menu/get →
//     `{menu: {button, menuid}}`, 46003 when there is none; GET cgi-bin/get_current_selfmenu_info →
//     `{is_menu_open, selfmenu_info: {button}}`).
//   - "删除自定义菜单" (/doc/offiaccount/Custom_Menus/Deleting_Custom-Defined_Menu.html, GET cgi-bin/menu/delete).
import type Router from '@koa/router';
import { ok, wxError, type WeChatErrcode } from './errors.js';
import { appOf, handle, isObject, readBody, requireToken, type SandboxCtxState } from './http.js';
import type { SandboxStore } from './state.js';

const KEY_TYPES = ['click', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select'];
const MEDIA_TYPES = ['media_id', 'view_limited', 'article_id', 'article_view_limited'];
export const MENU_TYPES = [...KEY_TYPES, 'view', 'miniprogram', ...MEDIA_TYPES];
export const MENU_LIMITS = { top: 3, sub: 5, topNameBytes: 16, subNameBytes: 60, keyBytes: 128, urlBytes: 1024 } as const;

const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value) : 0);

interface Codes {
  type: WeChatErrcode;
  name: WeChatErrcode;
  key: WeChatErrcode;
  url: WeChatErrcode;
}
const TOP: Codes = { type: 40017, name: 40018, key: 40019, url: 40020 };
const SUB: Codes = { type: 40024, name: 40025, key: 40026, url: 40027 };

function checkLeaf(button: Record<string, unknown>, codes: Codes): void {
  const type = button.type;
  if (typeof type !== 'string' || !MENU_TYPES.includes(type)) throw wxError(codes.type);
  if (KEY_TYPES.includes(type) && (bytes(button.key) === 0 || bytes(button.key) > MENU_LIMITS.keyBytes)) throw wxError(codes.key);
  if (type === 'view' || type === 'miniprogram') {
    if (bytes(button.url) === 0 || bytes(button.url) > MENU_LIMITS.urlBytes) throw wxError(codes.url);
  }
  if (type === 'miniprogram' && (bytes(button.appid) === 0 || bytes(button.pagepath) === 0)) throw wxError(47001, 'miniprogram appid/pagepath');
  if (MEDIA_TYPES.includes(type) && bytes(button.media_id) === 0 && bytes(button.article_id) === 0) throw wxError(47001, 'media_id');
}

/** Validates the menu as WeChat does; returns it as it will be stored. */
export function checkMenu(body: Record<string, unknown>): unknown[] {
  const buttons = body.button;
  if (!Array.isArray(buttons) || buttons.length === 0 || buttons.length > MENU_LIMITS.top) throw wxError(40016);
  for (const button of buttons) {
    if (!isObject(button)) throw wxError(40016);
    const name = bytes(button.name);
    if (name === 0 || name > MENU_LIMITS.topNameBytes) throw wxError(40018);
    const subs = button.sub_button;
    if (Array.isArray(subs) && subs.length > 0) {
      if (subs.length > MENU_LIMITS.sub) throw wxError(40023);
      for (const sub of subs) {
        if (!isObject(sub)) throw wxError(40023);
        const subName = bytes(sub.name);
        if (subName === 0 || subName > MENU_LIMITS.subNameBytes) throw wxError(40025);
        checkLeaf(sub, SUB);
      }
    } else {
      checkLeaf(button, TOP);
    }
  }
  return structuredClone(buttons);
}

export function registerMenuRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  const auth = requireToken(store, 'oa');

  router.post(
    '/cgi-bin/menu/create',
    auth,
    handle((ctx) => {
      const appid = appOf(ctx).appid;
      const button = checkMenu(readBody(ctx));
      store.menus.set(appid, { button, menuid: store.nextMsgid() });
      return ok();
    }),
  );

  router.get(
    '/cgi-bin/menu/get',
    auth,
    handle((ctx) => {
      const menu = store.menus.get(appOf(ctx).appid);
      if (!menu) throw wxError(46003);
      return { menu: structuredClone(menu) };
    }),
  );

  router.get(
    '/cgi-bin/get_current_selfmenu_info',
    auth,
    handle((ctx) => {
      const menu = store.menus.get(appOf(ctx).appid);
      return menu ? { is_menu_open: 1, selfmenu_info: { button: structuredClone(menu.button) } } : { is_menu_open: 0 };
    }),
  );

  router.get(
    '/cgi-bin/menu/delete',
    auth,
    handle((ctx) => {
      store.menus.delete(appOf(ctx).appid);
      return ok();
    }),
  );
  // Inspection (no token, like /sandbox/messages): the menu a follower would see now.
  router.get(
    '/oa/menu',
    handle((ctx) => {
      const appid = typeof ctx.query.appid === 'string' ? ctx.query.appid : undefined;
      const menu = store.menus.get(store.defaultApp('oa', appid).appid);
      return { menu: menu ? structuredClone(menu) : null };
    }),
  );
}
