// The outbound WeChat client: one `request` function, typed methods per WeChat area, the access
// token shared through the database. Create one client per app (Official Account, mini-program).
export {
  createWeChatClient,
  createWeChatCore,
  DEFAULT_WECHAT_API_BASE,
  TOKEN_REFRESH_MARGIN_MS,
  type RequestOptions,
  type WeChatClient,
  type WeChatClientOptions,
  type WeChatCore,
  type WeChatLogger,
} from './client.js';
export { TOKEN_ERRCODES, WeChatApiError, WeChatNetworkError, type WeChatNetworkFailure } from './errors.js';
export {
  createMemoryTokenStore,
  createMongoTokenStore,
  WeChatAccessToken,
  type StoredToken,
  type TokenStore,
  type WeChatAccessTokenDoc,
} from './token-store.js';
export type { MassMessage, MassSendOptions, MassSendResult } from './mass.js';
export type { CustomMessage, TemplateMessage } from './message.js';
export type { MiniProgramSession, SubscribeMessage } from './miniprogram.js';
export { permanentQrCode, QR_TEMPORARY_MAX_SECONDS, temporaryQrCode, type QrCodeRequest, type QrCodeResult } from './qrcode.js';
export type { TagUsersPage, WeChatTag } from './tags.js';
export type { JsapiTicket } from './ticket.js';
export type { WeChatLang, WeChatUserInfo } from './user.js';
