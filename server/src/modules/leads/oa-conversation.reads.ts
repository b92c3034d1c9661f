// What the Official Account conversations read of leads (read only): the lead made from a
// conversation — leads carry the follower's wechat_users id (`wechatUserId`).
import type { OaLeadRef } from '@qiao/shared';
import { isObjectIdString } from '../../lib/db.js';
import { Lead, type LeadDoc } from './lead.model.js';

type RefDoc = Pick<LeadDoc, '_id' | 'name' | 'company' | 'status' | 'wechatUserId'>;
const REF = { name: 1, company: 1, status: 1, wechatUserId: 1 } as const;
const toRef = (doc: RefDoc): OaLeadRef => ({ id: String(doc._id), name: doc.company ? `${doc.name}（${doc.company}）` : doc.name, status: doc.status });

/** Leads by id (one key read each: a page names at most a few dozen). */
export async function leadRefsByIds(ids: Iterable<string | null | undefined>): Promise<Map<string, OaLeadRef & { wechatUserId: string | null }>> {
  const unique = [...new Set([...ids].filter((id): id is string => isObjectIdString(id)))];
  const docs = await Promise.all(unique.map((id) => Lead.findById(id, REF).lean<RefDoc>()));
  return new Map(docs.flatMap((doc) => (doc ? [[String(doc._id), { ...toRef(doc), wechatUserId: doc.wechatUserId ?? null }] as const] : [])));
}

/** The leads made from a follower's conversation, newest first. */
export async function leadsOfWeChatUser(wechatUserId: string, limit = 10): Promise<OaLeadRef[]> {
  const docs = await Lead.find({ wechatUserId }, REF).sort({ createdAt: -1 }).limit(limit).lean<RefDoc[]>();
  return docs.map(toRef);
}
