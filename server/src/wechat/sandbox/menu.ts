// POST /cgi-bin/menu/create, GET /cgi-bin/menu/delete, GET /cgi-bin/get_current_selfmenu_info
// (Official Account token). WeChat's main menu rules: 1–3 buttons, 1–5 sub-buttons, names 16 / 60
// bytes, click key ≤ 128 bytes, view / miniprogram url ≤ 1024 bytes; miniprogram needs appid and
// pagepath. The menu is kept per app and readable at GET /sandbox/oa/menu (control).
import type Router from '@koa/router';
import { ok, wxError } from './errors.js';
import { appOf, handle, isObject, readBody, requireToken, type SandboxCtxState } from './http.js';
import type { SandboxStore } from './state.js';

const bytes = (value: unknown) => (typeof value === 'string' ? Buffer.byteLength(value) : -1);

// WeChat's codes differ for a top-level button and a sub-button: [top, sub].
const CODES = { name: [40018, 40025], key: [40019, 40026], url: [40020, 40027], type: [40017, 40024] } as const;

function checkButton(button: unknown, top: boolean): void {
  const code = (what: keyof typeof CODES) => wxError(CODES[what][top ? 0 : 1]);
  if (!isObject(button)) throw wxError(47001, 'button');
  const nameBytes = bytes(button.name);
  if (nameBytes < 1 || nameBytes > (top ? 16 : 60)) throw code('name');
  if (top && button.sub_button !== undefined) {
    const subs = button.sub_button;
    if (!Array.isArray(subs) || subs.length < 1 || subs.length > 5) throw wxError(40023);
    for (const sub of subs) checkButton(sub, false);
    return;
  }
  switch (button.type) {
    case 'click':
      if (bytes(button.key) < 1 || bytes(button.key) > 128) throw code('key');
      return;
    case 'view':
    case 'miniprogram':
      if (bytes(button.url) < 1 || bytes(button.url) > 1024) throw code('url');
      if (button.type === 'miniprogram' && (bytes(button.appid) < 1 || bytes(button.pagepath) < 1)) throw wxError(40097, 'appid and pagepath are required');
      return;
    default:
      throw code('type');
  }
}

export function registerMenuRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  const menus = new Map<string, unknown>();
  router.post(
    '/cgi-bin/menu/create',
    requireToken(store, 'oa'),
    handle((ctx) => {
      const body = readBody(ctx);
      const buttons = body.button;
      if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 3) throw wxError(40016);
      for (const button of buttons) checkButton(button, true);
      menus.set(appOf(ctx).appid, { button: buttons });
      return ok();
    }),
  );
  router.get(
    '/cgi-bin/menu/delete',
    requireToken(store, 'oa'),
    handle((ctx) => {
      menus.delete(appOf(ctx).appid);
      return ok();
    }),
  );
  router.get(
    '/oa/menu',
    handle((ctx) => {
      const appid = typeof ctx.query.appid === 'string' ? ctx.query.appid : undefined;
      return { menu: menus.get(store.defaultApp('oa', appid).appid) ?? null };
    }),
  );
}
