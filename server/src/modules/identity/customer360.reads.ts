// What the customer 360 view reads of WeChat users: every WeChat identity verified as one of a
// customer's contacts, with its follow state. Read-only, one query.
import type { Customer360WeChat } from '@qiao/shared';
import { WeChatUser, type WeChatUserDoc } from './wechat-user.model.js';

type IdentityDoc = Pick<WeChatUserDoc, '_id' | 'contactId' | 'oaOpenid' | 'mpOpenid' | 'subscribed' | 'subscribedAt' | 'unsubscribedAt' | 'lastInteractionAt'>;
const FIELDS = { contactId: 1, oaOpenid: 1, mpOpenid: 1, subscribed: 1, subscribedAt: 1, unsubscribedAt: 1, lastInteractionAt: 1 } as const;

const iso = (at: Date | null | undefined) => (at ? at.toISOString() : null);

/** The WeChat users verified as each of `contactIds` (none for a contact nobody verified as). */
export async function weChatIdentitiesOfContacts(contactIds: string[]): Promise<Map<string, Customer360WeChat[]>> {
  const out = new Map<string, Customer360WeChat[]>();
  if (contactIds.length === 0) return out;
  const docs = await WeChatUser.find({ contactId: { $in: contactIds } }, FIELDS).lean<IdentityDoc[]>();
  for (const doc of docs) {
    if (!doc.contactId) continue;
    const list = out.get(doc.contactId) ?? [];
    list.push({
      wechatUserId: doc._id,
      officialAccount: Boolean(doc.oaOpenid),
      miniProgram: Boolean(doc.mpOpenid),
      following: Boolean(doc.subscribed),
      subscribedAt: iso(doc.subscribedAt),
      unsubscribedAt: iso(doc.unsubscribedAt),
      lastInteractionAt: iso(doc.lastInteractionAt),
    });
    out.set(doc.contactId, list);
  }
  return out;
}
