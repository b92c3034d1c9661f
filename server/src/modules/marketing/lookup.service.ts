// What other modules may ask of marketing (the spread module: landings, funnels). They never
// touch this module's models.
import { isObjectIdString } from '../../lib/db.js';
import { fileUrl } from '../files/signing.js';
import { signedBody } from './body-files.js';
import { Campaign, type CampaignDoc } from './campaign.model.js';
import { Delivery } from './delivery.model.js';
import { effectiveOutcome } from './delivery-rules.js';
import { Material, MaterialVersion, versionId, type MaterialDoc } from './material.model.js';

export interface LandingCampaign {
  id: string;
  name: string;
  status: CampaignDoc['status'];
  /** Staff id of the marketer who created it. */
  createdBy: string;
  materialId: string;
  title: string;
  author: string;
  summary: string;
  coverFileId: string | null;
  /** Signed link to the cover ('' without one); valid an hour. */
  coverUrl: string;
  /** Sanitised when saved. */
  bodyHtml: string;
  attachments: Array<{ fileId: string; name: string; url: string }>;
  intentForm: { enabled: boolean; products: string[] };
}

/**
 * A campaign as its landing page shows it: the material as it was when the campaign started (the
 * version recipients got), or the current material before it started. Null when missing or deleted.
 */
export async function campaignForLanding(id: string): Promise<LandingCampaign | null> {
  if (!isObjectIdString(id)) return null;
  const campaign = await Campaign.findById(id).lean<CampaignDoc>();
  if (!campaign || campaign.deletedAt) return null;
  const content = await materialContent(campaign.materialId, campaign.materialVersion ?? null);
  if (!content) return null;
  return {
    id,
    name: campaign.name,
    status: campaign.status,
    createdBy: campaign.createdBy,
    materialId: campaign.materialId,
    title: content.title,
    author: content.author ?? '',
    summary: content.summary ?? '',
    coverFileId: content.coverFileId ?? null,
    coverUrl: content.coverFileId ? fileUrl(content.coverFileId) : '',
    bodyHtml: signedBody(content.bodyHtml ?? ''),
    attachments: (content.attachments ?? []).map((a) => ({ fileId: a.fileId, name: a.name, url: fileUrl(a.fileId) })),
    intentForm: { enabled: Boolean(campaign.intentForm?.enabled), products: [...(campaign.intentForm?.products ?? [])] },
  };
}

type Content = Pick<MaterialDoc, 'title' | 'author' | 'summary' | 'coverFileId' | 'bodyHtml' | 'attachments'>;

async function materialContent(materialId: string, version: number | null): Promise<Content | null> {
  if (version !== null) {
    const saved = await MaterialVersion.findById(versionId(materialId, version)).lean<Content>();
    if (saved) return saved;
  }
  return isObjectIdString(materialId) ? Material.findById(materialId).lean<Content>() : null;
}

export interface DeliveryCounts {
  /** Contacts the campaign was meant for. */
  targeted: number;
  /** Sent by some channel. */
  delivered: number;
  /** Not delivered, by reason code (failed and skipped alike: `outside-window`, `quota`, …). */
  failed: Record<string, number>;
}

/** The campaign's delivery figures to contacts (staff hand-outs are not deliveries to a recipient). */
export async function deliveryCounts(campaignId: string): Promise<DeliveryCounts> {
  const counts = { targeted: 0, delivered: 0, failed: {} as Record<string, number> };
  if (!isObjectIdString(campaignId)) return counts;
  const campaign = await Campaign.findById(campaignId, { targeted: 1 }).lean<Pick<CampaignDoc, 'targeted'>>();
  const outcomes = await outcomeCounts(campaignId, 'contact');
  let recorded = 0;
  for (const [outcome, n] of outcomes) {
    recorded += n;
    if (outcome === 'sent') counts.delivered += n;
    else if (outcome.startsWith('failed:') || outcome.startsWith('skipped:')) {
      const reason = outcome.slice(outcome.indexOf(':') + 1);
      counts.failed[reason] = (counts.failed[reason] ?? 0) + n;
    }
  }
  counts.targeted = Math.max(campaign?.targeted ?? 0, recorded);
  return counts;
}

/** Deliveries of a campaign per outcome (`sent`, `sending`, `failed:<reason>`, `skipped:<reason>`). */
export async function outcomeCounts(campaignId: string, kind: 'contact' | 'staff'): Promise<Map<string, number>> {
  // $group with $sum is in the portable subset; one field to group by (no compound keys).
  const [rows, campaign] = await Promise.all([
    Delivery.aggregate<{ _id: string; n: number }>([{ $match: { campaignId, recipientKind: kind } }, { $group: { _id: '$outcome', n: { $sum: 1 } } }]),
    Campaign.findById(campaignId, { mass: 1 }).lean<Pick<CampaignDoc, 'mass'>>(),
  ]);
  const counts = new Map<string, number>();
  for (const row of rows) {
    const outcome = effectiveOutcome(row._id, campaign?.mass);
    counts.set(outcome, (counts.get(outcome) ?? 0) + row.n);
  }
  return counts;
}

/** Campaigns started in [from, to], newest first (at most `limit`): the spread module's comparison report. */
export async function campaignsStartedBetween(from: Date | null, to: Date | null, limit = 200): Promise<Array<{ id: string; name: string; channels: string[]; startedAt: Date }>> {
  const range = { $ne: null, ...(from ? { $gte: from } : {}), ...(to ? { $lte: to } : {}) };
  const rows = await Campaign.find({ deletedAt: null, startedAt: range }, { name: 1, channels: 1, startedAt: 1 }).sort({ startedAt: -1 }).limit(limit).lean<Array<Pick<CampaignDoc, '_id' | 'name' | 'channels' | 'startedAt'>>>();
  return rows.map((row) => ({ id: String(row._id), name: row.name, channels: [...(row.channels ?? [])], startedAt: new Date(row.startedAt!) }));
}
