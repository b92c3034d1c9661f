// Mini-program calls: login (jscode2session, authenticated by appid + secret) and subscribe
// messages (one message per consent the user gave in wx.requestSubscribeMessage).
// Use a client created with the mini-program's appid and secret.
import type { WeChatCore } from './client.js';

export interface MiniProgramSession {
  openid: string;
  /** Decrypts wx.getUserInfo / phone number data; never send it to the client. */
  session_key: string;
  /** Present when the mini-program is bound to an Open Platform account. */
  unionid?: string;
}

export interface SubscribeMessage {
  touser: string;
  template_id: string;
  /** Page opened on tap, e.g. pages/index/index?foo=bar */
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
}

export function miniProgramApi(core: WeChatCore) {
  return {
    /** 40029 (WeChatApiError) for an unknown, used or expired code. */
    async code2Session(jsCode: string): Promise<MiniProgramSession> {
      const answer = await core.request<MiniProgramSession>({
        path: '/sns/jscode2session',
        query: { js_code: jsCode, grant_type: 'authorization_code' },
        auth: 'secret',
        // A code is single use: a retry after a lost answer would only get 40029.
        idempotent: false,
      });
      const session: MiniProgramSession = { openid: answer.openid, session_key: answer.session_key };
      if (answer.unionid) session.unionid = answer.unionid;
      return session;
    },

    async sendSubscribeMessage(message: SubscribeMessage): Promise<void> {
      await core.request({ method: 'POST', path: '/cgi-bin/message/subscribe/send', body: message });
    },
  };
}
