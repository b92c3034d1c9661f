// The custom menu (自定义菜单): edited in the console, published through WeChat's menu/create,
// and what the default auto reply may point followers to.
import { menuSchema, toWeChatMenu, type Menu, type MenuState, type WeChatMenuButton } from '@qiao/shared';
import { AppError } from '../../errors.js';
import { isDuplicateKey } from '../../lib/db.js';
import { WeChatApiError } from '../../wechat/api/index.js';
import { OaMenu, type OaMenuDoc } from './menu.model.js';
import { readCache } from './read-cache.js';

/** What publishing needs of the Official Account client (wechat/api/menu.ts). */
export interface MenuPublisher {
  createMenu(menu: { button: WeChatMenuButton[] }): Promise<void>;
}

const MENU_ID = 'menu';

/** A stored menu read back through the schema (null when absent or no longer valid). */
function parsed(value: unknown): Menu | null {
  const result = menuSchema.safeParse(value);
  return result.success ? result.data : null;
}

function toState(doc: OaMenuDoc | null): MenuState {
  return { draft: parsed(doc?.draft), published: parsed(doc?.published), publishedAt: doc?.publishedAt?.toISOString() ?? null };
}

async function write(fields: Partial<Omit<OaMenuDoc, '_id'>>): Promise<MenuState> {
  try {
    await OaMenu.updateOne({ _id: MENU_ID }, { $set: fields }, { upsert: true });
  } catch (error) {
    // Two first saves at once: the other one created the document; set ours on it.
    if (!isDuplicateKey(error)) throw error;
    await OaMenu.updateOne({ _id: MENU_ID }, { $set: fields });
  }
  publishedCache.invalidate();
  return getMenuState();
}

export async function getMenuState(): Promise<MenuState> {
  return toState(await OaMenu.findById(MENU_ID).lean<OaMenuDoc>());
}

// The default reply of every text message asks for the published menu: a copy per process,
// dropped on every write here, at most 2 s old after a publish through another process.
const publishedCache = readCache(async () => (await getMenuState()).published, 2_000);

export async function saveMenuDraft(menu: Menu): Promise<MenuState> {
  return write({ draft: menu });
}

/** Publish `menu` to WeChat (menu/create); stored as published only when WeChat accepted it. */
export async function publishMenu(menu: Menu, publisher: MenuPublisher, staffId: string, now = new Date()): Promise<MenuState> {
  try {
    await publisher.createMenu(toWeChatMenu(menu));
  } catch (error) {
    if (error instanceof WeChatApiError) {
      throw new AppError(502, 'MENU_REJECTED', `微信拒绝了该菜单（错误码 ${error.errcode}），请检查菜单名称、链接和小程序设置`);
    }
    throw new AppError(502, 'WECHAT_UNAVAILABLE', '暂时无法连接微信，请稍后再试');
  }
  return write({ draft: menu, published: menu, publishedAt: now, publishedBy: staffId });
}

/**
 * The published menu entry that leads to self-service — a page of ours (`view` under our
 * address) or the mini-program — as followers see it ("服务 › 自助服务"); null when there is none.
 */
export async function selfServiceMenuEntry(selfServiceUrl: string): Promise<string | null> {
  const menu = await publishedCache.get();
  if (!menu) return null;
  const origin = new URL(selfServiceUrl).origin;
  const leads = (button: { type: string | null; url: string }) =>
    button.type === 'miniprogram' || (button.type === 'view' && button.url.startsWith(origin));
  for (const button of menu.buttons) {
    if (button.subButtons.length === 0 && leads(button)) return button.name;
    const sub = button.subButtons.find(leads);
    if (sub) return `${button.name} › ${sub.name}`;
  }
  return null;
}

/**
 * The built-in default reply: it names the menu entry only when a published menu has one,
 * otherwise it gives the self-service link — never a menu that does not exist.
 */
export async function builtInDefaultReply(selfServiceUrl: string): Promise<string> {
  const entry = await selfServiceMenuEntry(selfServiceUrl);
  const how = entry ? `请点击菜单“${entry}”` : `请<a href="${selfServiceUrl}">进入自助服务</a>`;
  return `您好，消息已收到，我们会尽快回复。如需报修或查询服务进度，${how}。`;
}
