// The Official Account's custom menu: menu/create replaces the whole menu (WeChat shows it to
// followers within minutes), menu/delete removes it. Validate with @qiao/shared's menuSchema first:
// WeChat answers 40016–40027 / 65xxx for what breaks its rules.
import type { WeChatMenuButton } from '@qiao/shared';
import type { WeChatCore } from './client.js';

export function menuApi(core: WeChatCore) {
  return {
    async createMenu(menu: { button: WeChatMenuButton[] }): Promise<void> {
      // Replacing the menu with the same menu is harmless: safe to retry.
      await core.request({ method: 'POST', path: '/cgi-bin/menu/create', body: menu, idempotent: true });
    },
    async deleteMenu(): Promise<void> {
      await core.request({ path: '/cgi-bin/menu/delete' });
    },
  };
}

export type MenuApi = ReturnType<typeof menuApi>;
