// Mass send (WeChat: "群发接口"): to every follower with a tag, or to all followers.
// Service accounts: each follower receives at most 4 mass messages a month. `clientmsgid`
// dedupes for 24 h: a repeat answers 45065 with the first msg_id, reported as `duplicate`.
import type { WeChatCore } from './client.js';

export type MassMessage =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'mpnews'; mpnews: { media_id: string } }
  | { msgtype: 'image'; image: { media_id: string } }
  | { msgtype: 'voice'; voice: { media_id: string } }
  | { msgtype: 'mpvideo'; mpvideo: { media_id: string } }
  | { msgtype: 'wxcard'; wxcard: { card_id: string } };

export interface MassSendOptions {
  /** Your id for this job (≤ 64 bytes); a repeat within 24 h is not sent again. */
  clientmsgid?: string;
  /** mpnews judged a reprint: 1 = send anyway, 0 = stop. */
  send_ignore_reprint?: 0 | 1;
}

export interface MassSendResult {
  msg_id: string;
  /** Only for mpnews. */
  msg_data_id?: string;
  /** True when WeChat had this clientmsgid already (errcode 45065) and sent nothing new. */
  duplicate: boolean;
}

const CLIENTMSGID_EXISTS = 45065;

export function massApi(core: WeChatCore) {
  return {
    async massSendToTag(tagId: number | 'all', message: MassMessage, options: MassSendOptions = {}): Promise<MassSendResult> {
      const filter = tagId === 'all' ? { is_to_all: true } : { is_to_all: false, tag_id: tagId };
      const answer = await core.request<{ errcode?: number; msg_id: string; msg_data_id?: string }>({
        method: 'POST',
        path: '/cgi-bin/message/mass/sendall',
        body: { filter, ...message, ...options },
        allowErrcodes: [CLIENTMSGID_EXISTS],
        // WeChat dedupes on clientmsgid, so a repeat after a lost answer is harmless.
        idempotent: options.clientmsgid !== undefined,
      });
      const result: MassSendResult = { msg_id: String(answer.msg_id), duplicate: answer.errcode === CLIENTMSGID_EXISTS };
      if (answer.msg_data_id !== undefined) result.msg_data_id = String(answer.msg_data_id);
      return result;
    },
  };
}
