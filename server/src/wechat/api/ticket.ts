// The JS-SDK ticket (WeChat: "JS-SDK 使用权限签名算法"). Valid 7200 s and the number of grants
// a day is limited: callers cache it (like the access token) rather than asking per page view.
import type { WeChatCore } from './client.js';

export interface JsapiTicket {
  ticket: string;
  /** Seconds. */
  expires_in: number;
}

export function ticketApi(core: WeChatCore) {
  return {
    async getJsapiTicket(): Promise<JsapiTicket> {
      const answer = await core.request<JsapiTicket>({ path: '/cgi-bin/ticket/getticket', query: { type: 'jsapi' } });
      return { ticket: answer.ticket, expires_in: answer.expires_in };
    },
  };
}
