// Mass send (WeChat: "群发接口"): to every follower with a tag, to all followers, or to a list of
// 2–10,000 openids; a preview to one follower.
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
export const MASS_OPENIDS_MIN = 2;
export const MASS_OPENIDS_MAX = 10_000;

export function massApi(core: WeChatCore) {
  async function submit(path: string, target: Record<string, unknown>, message: MassMessage, options: MassSendOptions) {
    const answer = await core.request<{ errcode?: number; msg_id: string; msg_data_id?: string }>({
      method: 'POST',
      path,
      body: { ...target, ...message, ...options },
      allowErrcodes: [CLIENTMSGID_EXISTS],
      // WeChat dedupes on clientmsgid, so a repeat after a lost answer is harmless.
      idempotent: options.clientmsgid !== undefined,
    });
    const result: MassSendResult = { msg_id: String(answer.msg_id), duplicate: answer.errcode === CLIENTMSGID_EXISTS };
    if (answer.msg_data_id !== undefined) result.msg_data_id = String(answer.msg_data_id);
    return result;
  }

  return {
    massSendToTag(tagId: number | 'all', message: MassMessage, options: MassSendOptions = {}): Promise<MassSendResult> {
      const filter = tagId === 'all' ? { is_to_all: true } : { is_to_all: false, tag_id: tagId };
      return submit('/cgi-bin/message/mass/sendall', { filter }, message, options);
    },

    /** To 2–10,000 openids (40130 otherwise). */
    massSendToOpenids(openids: readonly string[], message: MassMessage, options: MassSendOptions = {}): Promise<MassSendResult> {
      return submit('/cgi-bin/message/mass/send', { touser: [...openids] }, message, options);
    },

    /** The message to one follower, to check how it looks; not counted in the monthly limit. */
    async massPreview(openid: string, message: MassMessage): Promise<{ msg_id: string }> {
      const answer = await core.request<{ msg_id: string }>({ method: 'POST', path: '/cgi-bin/message/mass/preview', body: { touser: openid, ...message } });
      return { msg_id: String(answer.msg_id) };
    },
  };
}
