// Messages to one Official Account user: template messages (service notices only — no marketing)
// and customer-service messages (only inside the window a user interaction opened: 45015/45047).
import type { WeChatCore } from './client.js';

export interface TemplateMessage {
  touser: string;
  template_id: string;
  /** Opened on tap (ignored when `miniprogram` is set and the client can open it). */
  url?: string;
  miniprogram?: { appid: string; pagepath?: string };
  data: Record<string, { value: string; color?: string }>;
  /** WeChat delivers one message per openid + client_msg_id (10 minutes). */
  client_msg_id?: string;
}

type CustomBody =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'image'; image: { media_id: string } }
  | { msgtype: 'voice'; voice: { media_id: string } }
  | { msgtype: 'video'; video: { media_id: string; thumb_media_id?: string; title?: string; description?: string } }
  | {
      msgtype: 'music';
      music: { title?: string; description?: string; musicurl: string; hqmusicurl: string; thumb_media_id: string };
    }
  | { msgtype: 'news'; news: { articles: [{ title: string; description?: string; url: string; picurl?: string }] } }
  | { msgtype: 'mpnews'; mpnews: { media_id: string } }
  | { msgtype: 'mpnewsarticle'; mpnewsarticle: { article_id: string } }
  | {
      msgtype: 'msgmenu';
      msgmenu: { head_content: string; list: { id: string; content: string }[]; tail_content: string };
    }
  | { msgtype: 'wxcard'; wxcard: { card_id: string } }
  | {
      msgtype: 'miniprogrampage';
      miniprogrampage: { title: string; appid: string; pagepath: string; thumb_media_id: string };
    };

export type CustomMessage = { touser: string; customservice?: { kf_account: string } } & CustomBody;

export function messageApi(core: WeChatCore) {
  return {
    /** Returns WeChat's msgid (a string: it may not fit a JS number). */
    async sendTemplateMessage(message: TemplateMessage): Promise<{ msgid: string }> {
      const answer = await core.request<{ msgid: string }>({
        method: 'POST',
        path: '/cgi-bin/message/template/send',
        body: message,
        // Safe to repeat only when WeChat dedupes it.
        idempotent: message.client_msg_id !== undefined,
      });
      return { msgid: String(answer.msgid) };
    },

    async sendCustomMessage(message: CustomMessage): Promise<void> {
      await core.request({ method: 'POST', path: '/cgi-bin/message/custom/send', body: message });
    },
  };
}
