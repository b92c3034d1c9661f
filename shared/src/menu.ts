import { z } from 'zod';

/**
 * The Official Account's custom menu (自定义菜单), with WeChat's rules: up to 3 buttons, each
 * either an action or up to 5 sub-buttons; names in bytes (UTF-8: a Chinese character is 3).
 * Actions: click (a keyword our auto replies answer), view (a web page), miniprogram (a page of
 * the mini-program; `url` opens on clients too old for mini-programs).
 */
export const menuButtonTypes = ['click', 'view', 'miniprogram'] as const;
export type MenuButtonType = (typeof menuButtonTypes)[number];
export const menuButtonTypeLabels: Record<MenuButtonType, string> = { click: '发送关键词', view: '打开网页', miniprogram: '打开小程序' };

export const MENU_RULES = {
  buttons: 3,
  subButtons: 5,
  /** 一级菜单名称: 16 bytes (4 Chinese characters). */
  nameBytes: 16,
  /** 二级菜单名称: 60 bytes. */
  subNameBytes: 60,
  keyBytes: 128,
  urlBytes: 1024,
} as const;

export const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

const action = {
  type: z.enum(menuButtonTypes, { message: '请选择菜单动作' }).nullable().default(null),
  key: z.string().trim().default(''),
  url: z.string().trim().default(''),
  appid: z.string().trim().default(''),
  pagepath: z.string().trim().default(''),
};

type Action = { name: string; type: MenuButtonType | null; key: string; url: string; appid: string; pagepath: string };

const isWebUrl = (url: string) => /^https?:\/\/[^\s]+$/i.test(url);

/** The action's own fields: what WeChat refuses, said in Chinese, at the field it concerns. */
function checkAction(button: Action, ctx: z.RefinementCtx): void {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (!button.type) return issue('type', `菜单“${button.name}”请选择动作（发送关键词、打开网页或打开小程序）`);
  if (button.type === 'click') {
    if (!button.key) issue('key', `菜单“${button.name}”请填写关键词`);
    else if (utf8Bytes(button.key) > MENU_RULES.keyBytes) issue('key', `菜单“${button.name}”的关键词最多 128 个字节`);
    return;
  }
  if (!button.url) issue('url', `菜单“${button.name}”请填写网页链接`);
  else if (!isWebUrl(button.url)) issue('url', `菜单“${button.name}”的网页链接须以 http:// 或 https:// 开头`);
  else if (utf8Bytes(button.url) > MENU_RULES.urlBytes) issue('url', `菜单“${button.name}”的网页链接最多 1024 个字节`);
  if (button.type === 'miniprogram') {
    if (!button.appid) issue('appid', `菜单“${button.name}”请填写小程序 AppID`);
    if (!button.pagepath) issue('pagepath', `菜单“${button.name}”请填写小程序页面路径`);
  }
}

export const menuSubButtonSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, '请填写子菜单名称')
      .refine((name) => utf8Bytes(name) <= MENU_RULES.subNameBytes, { message: '子菜单名称最多 60 个字节（约 20 个汉字）' }),
    ...action,
  })
  .strict()
  .superRefine(checkAction);
export type MenuSubButton = z.infer<typeof menuSubButtonSchema>;

export const menuButtonSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, '请填写菜单名称')
      .refine((name) => utf8Bytes(name) <= MENU_RULES.nameBytes, { message: '一级菜单名称最多 16 个字节（4 个汉字）' }),
    ...action,
    subButtons: z.array(menuSubButtonSchema).max(MENU_RULES.subButtons, '每个一级菜单最多 5 个子菜单').default([]),
  })
  .strict()
  // A button with sub-buttons only opens them: its own action is ignored by WeChat.
  .superRefine((button, ctx) => {
    if (button.subButtons.length === 0) checkAction(button, ctx);
  });
export type MenuButton = z.infer<typeof menuButtonSchema>;

export const menuSchema = z
  .object({ buttons: z.array(menuButtonSchema).min(1, '请至少添加一个菜单').max(MENU_RULES.buttons, '一级菜单最多 3 个') })
  .strict();
export type Menu = z.infer<typeof menuSchema>;
export type MenuInput = z.input<typeof menuSchema>;

/** GET /oa/menu: the draft being edited and what WeChat shows now. */
export const menuStateSchema = z.object({
  draft: menuSchema.nullable(),
  published: menuSchema.nullable(),
  publishedAt: z.string().nullable(),
});
export type MenuState = z.infer<typeof menuStateSchema>;

/** WeChat's menu/create body. */
export type WeChatMenuAction =
  | { type: 'click'; name: string; key: string }
  | { type: 'view'; name: string; url: string }
  | { type: 'miniprogram'; name: string; url: string; appid: string; pagepath: string };
/** A top-level button: an action, or a group of actions (WeChat has two levels, no deeper). */
export type WeChatMenuButton = WeChatMenuAction | { name: string; sub_button: WeChatMenuAction[] };

function toWeChatButton(button: Action & { subButtons?: Action[] }): WeChatMenuButton {
  if (button.subButtons && button.subButtons.length > 0) return { name: button.name, sub_button: button.subButtons.map((sub) => toWeChatAction(sub)) };
  return toWeChatAction(button);
}

function toWeChatAction(button: Action): WeChatMenuAction {
  switch (button.type) {
    case 'click':
      return { type: 'click', name: button.name, key: button.key };
    case 'miniprogram':
      return { type: 'miniprogram', name: button.name, url: button.url, appid: button.appid, pagepath: button.pagepath };
    default:
      return { type: 'view', name: button.name, url: button.url };
  }
}

/** A validated menu in WeChat's format: `{ button: [...] }`. */
export function toWeChatMenu(menu: Menu): { button: WeChatMenuButton[] } {
  return { button: menu.buttons.map((button) => toWeChatButton(button)) };
}
