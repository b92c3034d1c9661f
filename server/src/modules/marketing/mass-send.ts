// The mass-send part of a distribution: every recipient recorded `mass-queued` is
// put on the campaign's own WeChat tag (`qiao-<id>`, 50 openids a call), then ONE mass/sendall to
// that tag goes out with clientmsgid = the campaign id. Everything here may run again after a
// crash: tagging twice changes nothing, and a repeated sendall is refused by WeChat (45065 with
// the first msg_id), which counts as sent. The send is recorded once, on the campaign
// (`mass.msgId`): that makes all its queued records delivered. A mass-sent article cannot carry a per-recipient
// link: its 阅读原文 opens the campaign page without a share token.
import { AppError } from '../../errors.js';
import { WeChatApiError } from '../../wechat/api/index.js';
import { Campaign, type CampaignDoc } from './campaign.model.js';
import { Delivery } from './delivery.model.js';
import type { MarketingDeps } from './marketing.deps.js';
import { campaignSourceUrl } from './material.service.js';
import { forgetDraft, syncMaterialDraft } from './wechat-sync.js';
import { errorKind, MASS_QUEUED, outcomeOf, pauseForQuota } from './delivery-rules.js';

const TAG_BATCH = 50;
const TAG_EXISTS = 45157;
const TAG_UNKNOWN = 45159;
const UNKNOWN_OPENID = 40003;
/** WeChat finishes a mass send after answering (MASSSENDJOBFINISH): its tag stays this long after the campaign ended. */
export const TAG_KEEP_MS = 24 * 3600_000;

export const campaignTagName = (campaignId: string) => `qiao-${campaignId.slice(-12)}`;

async function ensureTag(campaign: CampaignDoc, deps: MarketingDeps): Promise<number> {
  if (typeof campaign.mass?.tagId === 'number') return campaign.mass.tagId;
  const name = campaignTagName(String(campaign._id));
  let tagId: number;
  try {
    tagId = (await deps.wechat.createTag(name)).id;
  } catch (error) {
    // Created by a run that died before saving it: find it by name.
    if (!(error instanceof WeChatApiError) || error.errcode !== TAG_EXISTS) throw error;
    const existing = (await deps.wechat.getTags()).find((tag) => tag.name === name);
    if (!existing) throw error;
    tagId = existing.id;
  }
  await Campaign.updateOne({ _id: campaign._id }, { $set: { 'mass.tagId': tagId } });
  return tagId;
}

/** Tag the openids; those WeChat does not know as followers (40003) are skipped `unsubscribed`. */
async function tagAll(campaignId: string, tagId: number, pending: Array<{ _id: string; openid: string | null }>, deps: MarketingDeps): Promise<Set<string>> {
  const tagged = new Set<string>();
  const withOpenid = pending.filter((d): d is { _id: string; openid: string } => Boolean(d.openid));
  for (let i = 0; i < withOpenid.length; i += TAG_BATCH) {
    const batch = withOpenid.slice(i, i + TAG_BATCH);
    try {
      await deps.wechat.tagUsers(tagId, batch.map((d) => d.openid));
      for (const d of batch) tagged.add(d._id);
    } catch (error) {
      if (!(error instanceof WeChatApiError) || error.errcode !== UNKNOWN_OPENID) throw error;
      // One bad openid fails the whole call: tag them one by one.
      for (const d of batch) {
        try {
          await deps.wechat.tagUsers(tagId, [d.openid]);
          tagged.add(d._id);
        } catch (single) {
          if (!(single instanceof WeChatApiError) || single.errcode !== UNKNOWN_OPENID) throw single;
          await Delivery.updateOne({ _id: d._id }, { $set: { state: 'skipped', reason: 'unsubscribed', outcome: outcomeOf('skipped', 'unsubscribed') } });
        }
      }
    }
    if (i % (TAG_BATCH * 20) === 0) await Campaign.updateOne({ _id: campaignId }, { $set: { heartbeatAt: new Date() } });
  }
  return tagged;
}

/** Send the mass message to everyone recorded for it; 'stop' when the campaign was paused or stopped. */
export async function finishMass(campaign: CampaignDoc, deps: MarketingDeps): Promise<'ok' | 'stop'> {
  const campaignId = String(campaign._id);
  const current = await Campaign.findById(campaignId).lean<CampaignDoc>();
  if (current?.status !== 'running') return 'stop';
  if (current.mass?.msgId || current.mass?.error) return 'ok';
  const pending = await Delivery.find({ campaignId, outcome: MASS_QUEUED }, { openid: 1 }).lean<Array<{ _id: string; openid: string | null }>>();
  if (pending.length === 0) return 'ok';
  try {
    const mediaId = await syncMaterialDraft(campaign.materialId, campaign.materialVersion ?? 1, campaignSourceUrl(deps.publicBaseUrl, campaignId), deps);
    const tagId = await ensureTag(current, deps);
    await tagAll(campaignId, tagId, pending, deps);
    if ((await Campaign.findById(campaignId, { status: 1 }).lean<Pick<CampaignDoc, 'status'>>())?.status !== 'running') return 'stop';
    const result = await deps.wechat.massSendToTag(tagId, { msgtype: 'mpnews', mpnews: { media_id: mediaId } }, { clientmsgid: campaignId, send_ignore_reprint: 1 });
    await Campaign.updateOne({ _id: campaignId }, { $set: { 'mass.msgId': result.msg_id, 'mass.sentAt': new Date() } });
    await forgetDraft(campaign.materialId, mediaId);
    return 'ok';
  } catch (error) {
    if (error instanceof AppError) {
      // The material cannot go out as an article: the queued recipients fail, the rest completes.
      await Campaign.updateOne({ _id: campaignId }, { $set: { 'mass.error': error.message } });
      return 'ok';
    }
    const kind = errorKind(error);
    if (kind === 'quota') {
      await pauseForQuota(campaignId, deps);
      return 'stop';
    }
    if (kind === 'retry' || kind === 'unknown') throw error;
    const message = error instanceof Error ? error.message.slice(0, 300) : String(error);
    await Campaign.updateOne({ _id: campaignId }, { $set: { 'mass.error': message } });
    return 'ok';
  }
}

/**
 * Delete the WeChat tags of campaigns that finished more than a day ago. An account may have at most
 * 100 tags (45056), and every mass-sent campaign makes one: without this, the 101st campaign could
 * not be sent. Safe to run again: a tag already gone (45159) counts as removed.
 */
export async function removeFinishedCampaignTags(deps: Pick<MarketingDeps, 'wechat' | 'logger'>, now = new Date()): Promise<number> {
  // Few campaigns finish a day: the nested fields are checked in code, the date range by index.
  const finished = await Campaign.find({ finishedAt: { $lte: new Date(now.getTime() - TAG_KEEP_MS) } }, { mass: 1 }).lean<Array<Pick<CampaignDoc, '_id' | 'mass'>>>();
  let removed = 0;
  for (const campaign of finished) {
    const tagId = campaign.mass?.tagId;
    if (typeof tagId !== 'number' || campaign.mass?.tagRemovedAt) continue;
    try {
      await deps.wechat.deleteTag(tagId);
    } catch (error) {
      if (!(error instanceof WeChatApiError) || error.errcode !== TAG_UNKNOWN) {
        deps.logger?.warn({ err: error, campaignId: String(campaign._id), tagId }, 'campaign tag not removed; retried next hour');
        continue;
      }
    }
    await Campaign.updateOne({ _id: campaign._id }, { $set: { 'mass.tagRemovedAt': now } });
    removed += 1;
  }
  return removed;
}
