// The outbound WeChat clients, one per product (Official Account, mini-program) over one core:
// one `request` function, typed methods per WeChat area, the access token (stable_token) shared
// through the database.
export {
  combine,
  createMiniProgramClient,
  createOfficialAccountClient,
  type MiniProgramClient,
  type OfficialAccountClient,
} from './products.js';
export {
  createWeChatCore,
  DEFAULT_WECHAT_API_BASE,
  TOKEN_REFRESH_MARGIN_MS,
  type RequestOptions,
  type WeChatClientOptions,
  type WeChatCore,
  type WeChatLogger,
} from './client.js';
export { TOKEN_ERRCODES, WeChatApiError, WeChatNetworkError, type WeChatNetworkFailure } from './errors.js';
export { cacheTokenStore, TOKEN_CACHE_MS } from './token-cache.js';
export {
  createMemoryTokenStore,
  createMongoTokenStore,
  WeChatAccessToken,
  type StoredToken,
  type TokenStore,
  type WeChatAccessTokenDoc,
} from './token-store.js';
export type { PrivateTemplate } from './account.js';
export type { DraftArticle, UploadFile } from './draft.js';
export type { MassMessage, MassSendOptions, MassSendResult } from './mass.js';
export type { Menu, MenuButton, TopMenuButton } from './menu.js';
export type { CustomMessage, TemplateMessage } from './message.js';
export type { MiniProgramSession, SubscribeMessage } from './miniprogram.js';
export { permanentQrCode, QR_TEMPORARY_MAX_SECONDS, temporaryQrCode, type QrCodeRequest, type QrCodeResult } from './qrcode.js';
export type { TagUsersPage, WeChatTag } from './tags.js';
export type { JsapiTicket } from './ticket.js';
export type { FollowersPage, WeChatLang, WeChatUserInfo } from './user.js';
