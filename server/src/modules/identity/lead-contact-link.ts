// 线索转化 of an Official Account lead (公众号消息 → 转为线索): the follower the lead came from becomes
// the WeChat identity of the lead's contact, so the customer 360 view shows it — only when the
// follower is not yet verified as anyone and the contact has no WeChat identity yet (a verified
// link is never moved, and a contact with an identity keeps the one its person verified).
import { isObjectIdString } from '../../lib/db.js';
import { WeChatUser } from './wechat-user.model.js';
import { currentWeChatUser } from './wechat-user.service.js';

/** Links the follower to the contact; true when the follower is (now) that contact's identity. */
export async function linkFollowerToContact(wechatUserId: string, contactId: string): Promise<boolean> {
  if (!isObjectIdString(contactId)) return false;
  const user = await currentWeChatUser(wechatUserId);
  if (!user) return false;
  if (user.contactId) return user.contactId === contactId;
  if (await WeChatUser.exists({ contactId })) return false;
  // The follower's record is also written by the batched interaction writes; on the embedded
  // database a parallel update of it can drop this one, so it is read back and written again.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    await WeChatUser.updateOne({ _id: user._id, contactId: null }, { $set: { contactId } });
    const now = await WeChatUser.findById(user._id, { contactId: 1 }).lean<{ contactId?: string | null }>();
    if (now?.contactId) return now.contactId === contactId;
  }
  return false;
}
