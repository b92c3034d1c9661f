// What recipients see and do: 我的方案 (campaigns delivered to a customer's contact, or handed out
// to a staff member), opting out (a "TD" reply to the Official Account, or the landing page's
// unsubscribe link), and the marketer's test send to their own WeChat.
import { campaignLandingPath, type MyCampaign, type MyCampaignQuery, type Paged } from '@qiao/shared';
import { badRequest, notFound } from '../../errors.js';
import { isDuplicateKey } from '../../lib/db.js';
import { escapeRegex, paged, skipOf } from '../../lib/query.js';
import { fileUrl } from '../files/signing.js';
import { contactIdOfWeChatUser, weChatRecipientOfStaff } from '../identity/lookup.service.js';
import type { Principal } from '../identity/principal.js';
import { findWeChatUser } from '../identity/wechat-user.service.js';
import { shareTokenOf } from '../spread/lookup.service.js';
import { Campaign, type CampaignDoc } from './campaign.model.js';
import { findCampaign } from './campaign.service.js';
import { effectiveOutcome, MASS_QUEUED } from './delivery-rules.js';
import { Delivery, OptOut, type DeliveryDoc } from './delivery.model.js';
import type { MarketingDeps } from './marketing.deps.js';
import { campaignSourceUrl, findMaterial, materialVersionContent } from './material.service.js';
import { MaterialVersion, versionId, type MaterialVersionDoc } from './material.model.js';
import { massSendProblem, syncMaterialDraft } from './wechat-sync.js';

type Recipient = { kind: 'contact' | 'staff'; id: string };

async function recipientOf(principal: Principal): Promise<Recipient | null> {
  if (principal.kind === 'staff') return { kind: 'staff', id: principal.staffId };
  const contactId = await contactIdOfWeChatUser(principal.wechatUserId);
  return contactId ? { kind: 'contact', id: contactId } : null;
}

/** 我的方案: newest first; `q` searches the campaign name and the article title. */
export async function myCampaigns(principal: Principal, query: MyCampaignQuery): Promise<Paged<MyCampaign>> {
  const recipient = await recipientOf(principal);
  if (!recipient) return paged([], 0, query);
  // Sent, or queued for a mass send that went out (decided per campaign below).
  const filter: Record<string, unknown> = { recipientKind: recipient.kind, recipientId: recipient.id, $or: [{ state: 'sent' }, { outcome: MASS_QUEUED }] };
  const q = query.q?.trim();
  if (q) {
    // Campaigns are few next to deliveries: find the matching ones first.
    const pattern = { $regex: escapeRegex(q), $options: 'i' };
    const versions = await MaterialVersion.find({ title: pattern }, { materialId: 1, version: 1 }).lean<Array<Pick<MaterialVersionDoc, 'materialId' | 'version'>>>();
    const byTitle = versions.map((v) => ({ materialId: v.materialId, materialVersion: v.version }));
    const matching = await Campaign.find({ deletedAt: null, $or: [{ name: pattern }, ...byTitle] }, { _id: 1 }).lean<Array<Pick<CampaignDoc, '_id'>>>();
    filter.campaignId = { $in: matching.map((c) => String(c._id)) };
  }
  const [docs, total] = await Promise.all([
    Delivery.find(filter).sort({ createdAt: -1, _id: -1 }).skip(skipOf(query)).limit(query.pageSize).lean<DeliveryDoc[]>(),
    Delivery.countDocuments(filter),
  ]);
  const campaigns = await Campaign.find({ _id: { $in: docs.map((d) => d.campaignId) } }).lean<CampaignDoc[]>();
  const byId = new Map(campaigns.map((c) => [String(c._id), c]));
  const items: MyCampaign[] = [];
  for (const doc of docs) {
    const campaign = byId.get(doc.campaignId);
    if (!campaign || effectiveOutcome(doc.outcome, campaign.mass) !== 'sent') continue;
    const content = await MaterialVersion.findById(versionId(campaign.materialId, campaign.materialVersion ?? 1)).lean<MaterialVersionDoc>();
    // Mass recipients got no personal link: their token is made the first time they look here.
    let shareToken = doc.shareToken;
    if (!shareToken) {
      shareToken = await shareTokenOf(doc.campaignId, { kind: recipient.kind, id: recipient.id });
      await Delivery.updateOne({ _id: doc._id }, { $set: { shareToken } });
    }
    items.push({
      campaignId: doc.campaignId,
      name: campaign.name,
      title: content?.title ?? campaign.name,
      coverUrl: content?.coverFileId ? fileUrl(content.coverFileId) : '',
      summary: content?.summary ?? '',
      receivedAt: (doc.sentAt ?? doc.createdAt).toISOString(),
      shareToken,
      link: campaignLandingPath(doc.campaignId, shareToken),
    });
  }
  return paged(items, total, query);
}

async function optOut(key: string, source: 'reply' | 'link'): Promise<void> {
  try {
    await OptOut.create({ _id: key, source });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/** The landing page's unsubscribe link: the share token of the delivery names the contact. */
export async function optOutByToken(token: string): Promise<void> {
  const delivery = await Delivery.findOne({ shareToken: token, recipientKind: 'contact' }, { recipientId: 1 }).lean<Pick<DeliveryDoc, 'recipientId'>>();
  if (!delivery) throw notFound('OPT_OUT_TOKEN_INVALID', '退订链接无效');
  await optOut(`contact:${delivery.recipientId}`, 'link');
}

export const OPT_OUT_REPLY = '您已退订营销消息，今后不再收到我们的营销推送。';
/** A reply of "TD" (退订) to the Official Account. */
export const isOptOutReply = (content: string | undefined) => (content ?? '').trim().toUpperCase() === 'TD';

/** "TD" from a follower: their contact (when verified) and their WeChat user opt out. */
export async function optOutByReply(openid: string): Promise<string> {
  const user = await findWeChatUser('oa', openid);
  if (user) {
    await optOut(`wechat:${user._id}`, 'reply');
    if (user.contactId) await optOut(`contact:${user.contactId}`, 'reply');
  }
  return OPT_OUT_REPLY;
}

/**
 * The exact message to the marketer's own WeChat (mass/preview): the article as mass send would
 * deliver it when the material can go out as one, else a text with the campaign link.
 */
export async function testSend(campaignId: string, staffId: string, deps: MarketingDeps): Promise<{ openid: string; msgtype: string }> {
  const campaign = await findCampaign(campaignId);
  const me = await weChatRecipientOfStaff(staffId);
  if (!me?.oaOpenid) throw badRequest('WECHAT_NOT_BOUND', '您的账号尚未绑定微信，请先在小程序中用邀请码绑定后再试发');
  if (!me.subscribed) throw badRequest('WECHAT_NOT_FOLLOWING', '您的微信未关注公众号，无法接收试发消息');
  const version = campaign.materialVersion ?? (await findMaterial(campaign.materialId)).version;
  const content = await materialVersionContent(campaign.materialId, version);
  if (!content) throw badRequest('MATERIAL_NOT_FOUND', '方案的素材不存在或已被删除');
  const link = campaignSourceUrl(deps.publicBaseUrl, campaignId);
  if (!massSendProblem(content)) {
    const mediaId = await syncMaterialDraft(campaign.materialId, version, link, deps);
    await deps.wechat.massPreview(me.oaOpenid, { msgtype: 'mpnews', mpnews: { media_id: mediaId } });
    return { openid: me.oaOpenid, msgtype: 'mpnews' };
  }
  await deps.wechat.massPreview(me.oaOpenid, { msgtype: 'text', text: { content: `【试发】${content.title}\n${link}` } });
  return { openid: me.oaOpenid, msgtype: 'text' };
}
