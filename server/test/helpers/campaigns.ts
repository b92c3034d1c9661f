// Campaign fixtures for the spread and leads tests: the smallest material + campaign documents
// that marketing's `campaignForLanding` / `deliveryCounts` read. Once the marketing service is
// merged, these can be made through it (create + start) instead.
import mongoose from 'mongoose';
import { Campaign } from '../../src/modules/marketing/campaign.model.js';
import { Material } from '../../src/modules/marketing/material.model.js';
import { unique } from './factories.js';

export interface CampaignFixture {
  name?: string;
  title?: string;
  status?: 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled';
  createdBy?: string;
  intentForm?: { enabled: boolean; products: string[] };
  coverFileId?: string | null;
  channels?: string[];
  startedAt?: Date | null;
}

export async function createCampaignFixture(fields: CampaignFixture = {}): Promise<{ id: string; materialId: string; name: string; title: string }> {
  const createdBy = fields.createdBy ?? new mongoose.Types.ObjectId().toHexString();
  const title = fields.title ?? '新品空调 限时焕新';
  const material = await Material.create({
    kind: 'article',
    title,
    author: '市场部',
    summary: '一级能效，静音省电',
    coverFileId: fields.coverFileId ?? null,
    bodyHtml: '<p>欢迎了解我们的新品。</p>',
    updatedBy: createdBy,
    createdBy,
  });
  const name = fields.name ?? unique('春季焕新活动');
  const status = fields.status ?? 'running';
  const campaign = await Campaign.create({
    name,
    materialId: String(material._id),
    segmentId: new mongoose.Types.ObjectId().toHexString(),
    channels: fields.channels ?? ['mass', 'staff'],
    intentForm: fields.intentForm ?? { enabled: true, products: ['中央空调', '热水器'] },
    status,
    createdBy,
    startedAt: fields.startedAt === undefined ? (status === 'draft' ? null : new Date()) : fields.startedAt,
  });
  return { id: String(campaign._id), materialId: String(material._id), name, title };
}
