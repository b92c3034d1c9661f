// One client per WeChat product over the shared core. Each exposes only its product's calls:
// the mini-program client has no template messages (WeChat would answer 48001), the Official
// Account client no jscode2session. The API areas are merged by `combine`, which refuses a name
// defined by two areas instead of letting the later one silently win.
import { accountApi } from './account.js';
import { createWeChatCore, type WeChatClientOptions, type WeChatCore } from './client.js';
import { draftApi } from './draft.js';
import { massApi } from './mass.js';
import { menuApi } from './menu.js';
import { messageApi } from './message.js';
import { miniProgramApi } from './miniprogram.js';
import { qrCodeApi } from './qrcode.js';
import { tagsApi } from './tags.js';
import { ticketApi } from './ticket.js';
import { userApi } from './user.js';

type UnionToIntersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;

/** Merge API areas; throws at start when two areas define the same method name. */
export function combine<T extends object[]>(...parts: T): UnionToIntersection<T[number]> {
  const merged: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [name, value] of Object.entries(part)) {
      if (name in merged) throw new Error(`WeChat client: two API areas define ${name}`);
      merged[name] = value;
    }
  }
  return merged as UnionToIntersection<T[number]>;
}

function coreFacade(core: WeChatCore) {
  return {
    appid: core.appid,
    baseUrl: core.baseUrl,
    request: core.request,
    getAccessToken: core.getAccessToken,
    refreshAccessToken: core.refreshAccessToken,
  };
}

/** The Official Account (公众号 / 服务号) client: users, messages, tags, mass send, menu, QR codes, JS-SDK. */
export function createOfficialAccountClient(options: WeChatClientOptions) {
  const core = createWeChatCore(options);
  return combine(
    coreFacade(core),
    userApi(core),
    messageApi(core),
    tagsApi(core),
    massApi(core),
    menuApi(core),
    qrCodeApi(core),
    ticketApi(core),
    accountApi(core),
    draftApi(core),
  );
}

/** The mini-program (小程序) client: login and subscribe messages. */
export function createMiniProgramClient(options: WeChatClientOptions) {
  const core = createWeChatCore(options);
  return combine(coreFacade(core), miniProgramApi(core));
}

export type OfficialAccountClient = ReturnType<typeof createOfficialAccountClient>;
export type MiniProgramClient = ReturnType<typeof createMiniProgramClient>;
