// Search of the Official Account conversations (公众号消息) without a scan: by the follower — the
// verified contact's name or phone, through the contacts' own search keys — and by what was
// written: every text message keeps search keys (lib/search.ts, tag `om`, the message's `_id` as
// ref) for the start of its text, written with the batch that stores it (off the reply path).
import { normalizeSearchText, refsMatching, suffixKeys, type RecordKeys } from '../../lib/search.js';
import { matchingContactIds } from '../customers/search.service.js';
import { weChatRecipientsOfContacts } from '../identity/lookup.service.js';
import { OaChatMessage, type OaChatMessageDoc } from './oa-message.model.js';

/** A message's text is searchable by its first this many characters: keys stay few per message. */
export const OA_KEYED_CHARS = 100;

/** Keys of a message: "contains" within the start of its text; none for a placeholder ([图片]). */
export function oaMessageSearchKeys(message: { _id: string; msgType: string; content: string }): RecordKeys[] {
  if (message.msgType !== 'text' || !message.content) return [];
  return [{ ref: message._id, keys: suffixKeys('om', Array.from(message.content).slice(0, OA_KEYED_CHARS).join('')) }];
}

/** Openids of the conversations `q` finds: a contact's name or phone, or a message's text. */
export async function openidsMatching(q: string): Promise<string[]> {
  const text = normalizeSearchText(q);
  const [messages, contacts] = await Promise.all([
    text ? refsMatching([{ tag: 'om', value: text }]) : Promise.resolve({ refs: [], capped: false }),
    matchingContactIds(q),
  ]);
  const [found, users] = await Promise.all([
    messages.refs.length > 0 ? OaChatMessage.find({ _id: { $in: messages.refs } }, { openid: 1 }).lean<Array<Pick<OaChatMessageDoc, 'openid'>>>() : [],
    weChatRecipientsOfContacts(contacts.ids),
  ]);
  return [...new Set([...found.map((m) => m.openid), ...users.flatMap((u) => (u.oaOpenid ? [u.oaOpenid] : []))])];
}
