// 营销方案: a material to a segment through channels. Edited and deleted only as drafts; `start`
// checks the material against each channel's rules and queues the distribution (or schedules it);
// pause / resume / cancel change the status the running distribution reads between batches.
import type { Campaign as CampaignView, CampaignInput, CampaignListQuery, CampaignPatch, CampaignProgress, Paged } from '@qiao/shared';
import { badRequest, conflict, notFound } from '../../errors.js';
import { isObjectIdString } from '../../lib/db.js';
import { paged, searchFilter, skipOf } from '../../lib/query.js';
import { staffByIds } from '../identity/lookup.service.js';
import { Campaign, type CampaignDoc } from './campaign.model.js';
import { outcomeCounts } from './lookup.service.js';
import type { MarketingDeps } from './marketing.deps.js';
import { Material, type MaterialDoc } from './material.model.js';
import { findMaterial } from './material.service.js';
import { Segment, type SegmentDoc } from './segment.model.js';
import { findSegment } from './segment.service.js';
import { massSendProblem } from './wechat-sync.js';

export const DISTRIBUTE_JOB = 'marketing.distribute';

const campaignNotFound = () => notFound('CAMPAIGN_NOT_FOUND', '营销方案不存在或已被删除');
const wrongStatus = (message: string) => conflict('CAMPAIGN_STATUS', message);

async function toViews(docs: CampaignDoc[]): Promise<CampaignView[]> {
  const [staff, materials, segments] = await Promise.all([
    staffByIds(docs.map((doc) => doc.createdBy)),
    Material.find({ _id: { $in: [...new Set(docs.map((d) => d.materialId))] } }, { title: 1 }).lean<Array<Pick<MaterialDoc, '_id' | 'title'>>>(),
    Segment.find({ _id: { $in: [...new Set(docs.map((d) => d.segmentId))] } }, { name: 1 }).lean<Array<Pick<SegmentDoc, '_id' | 'name'>>>(),
  ]);
  const titles = new Map(materials.map((m) => [String(m._id), m.title]));
  const names = new Map(segments.map((s) => [String(s._id), s.name]));
  return docs.map((doc) => ({
    id: String(doc._id),
    name: doc.name,
    materialId: doc.materialId,
    materialTitle: titles.get(doc.materialId) ?? '',
    segmentId: doc.segmentId,
    segmentName: names.get(doc.segmentId) ?? '',
    channels: doc.channels as CampaignView['channels'],
    scheduledAt: doc.scheduledAt?.toISOString() ?? null,
    intentForm: { enabled: Boolean(doc.intentForm?.enabled), products: [...(doc.intentForm?.products ?? [])] },
    status: doc.status,
    pauseReason: doc.pauseReason ?? '',
    createdBy: staff.get(doc.createdBy)?.name ?? '',
    createdAt: doc.createdAt.toISOString(),
    startedAt: doc.startedAt?.toISOString() ?? null,
    finishedAt: doc.finishedAt?.toISOString() ?? null,
  }));
}

export async function findCampaign(id: string): Promise<CampaignDoc> {
  const doc = isObjectIdString(id) ? await Campaign.findById(id).lean<CampaignDoc>() : null;
  if (!doc || doc.deletedAt) throw campaignNotFound();
  return doc;
}

export async function listCampaigns(query: CampaignListQuery): Promise<Paged<CampaignView>> {
  const filter = { deletedAt: null, ...(query.status ? { status: query.status } : {}), ...searchFilter(query.q, ['name']) };
  const [docs, total] = await Promise.all([
    Campaign.find(filter).sort({ createdAt: -1, _id: -1 }).skip(skipOf(query)).limit(query.pageSize).lean<CampaignDoc[]>(),
    Campaign.countDocuments(filter),
  ]);
  return paged(await toViews(docs), total, query);
}

export async function getCampaign(id: string): Promise<CampaignView> {
  return (await toViews([await findCampaign(id)]))[0]!;
}

export async function createCampaign(staffId: string, input: CampaignInput): Promise<CampaignView> {
  await findMaterial(input.materialId);
  await findSegment(input.segmentId);
  const doc = await Campaign.create({
    name: input.name,
    materialId: input.materialId,
    segmentId: input.segmentId,
    channels: input.channels,
    scheduledAt: input.scheduledAt ? new Date(input.scheduledAt) : null,
    intentForm: input.intentForm,
    createdBy: staffId,
  });
  return getCampaign(String(doc._id));
}

function requireDraft(doc: CampaignDoc): void {
  if (doc.status !== 'draft') throw wrongStatus('只有草稿状态的营销方案可以修改或删除');
}

export async function updateCampaign(id: string, patch: CampaignPatch): Promise<CampaignView> {
  const doc = await findCampaign(id);
  requireDraft(doc);
  if (patch.materialId) await findMaterial(patch.materialId);
  if (patch.segmentId) await findSegment(patch.segmentId);
  const set: Record<string, unknown> = {};
  for (const key of ['name', 'materialId', 'segmentId', 'channels', 'intentForm'] as const) if (patch[key] !== undefined) set[key] = patch[key];
  if (patch.scheduledAt !== undefined) set.scheduledAt = patch.scheduledAt ? new Date(patch.scheduledAt) : null;
  if (Object.keys(set).length > 0) await Campaign.updateOne({ _id: doc._id }, { $set: set });
  return getCampaign(id);
}

export async function deleteCampaign(id: string): Promise<void> {
  const doc = await findCampaign(id);
  requireDraft(doc);
  await Campaign.updateOne({ _id: doc._id }, { $set: { deletedAt: new Date() } });
}

/** Draft → scheduled (a future `scheduledAt`) or running (queued now). */
export async function startCampaign(id: string, deps: Pick<MarketingDeps, 'jobs'>, now = new Date()): Promise<CampaignView> {
  const doc = await findCampaign(id);
  if (doc.status !== 'draft') throw wrongStatus('该营销方案已启动');
  const material = await findMaterial(doc.materialId).catch(() => {
    throw badRequest('MATERIAL_NOT_FOUND', '方案的素材不存在或已被删除');
  });
  await findSegment(doc.segmentId).catch(() => {
    throw badRequest('SEGMENT_NOT_FOUND', '方案的客户细分不存在或已被删除');
  });
  if (doc.channels.length === 0) throw badRequest('CHANNEL_REQUIRED', '请至少选择一个渠道');
  if (doc.channels.includes('mass')) {
    const problem = massSendProblem(material);
    if (problem) throw badRequest('MATERIAL_NOT_SENDABLE', problem);
  }
  const later = doc.scheduledAt && doc.scheduledAt.getTime() > now.getTime();
  await Campaign.updateOne(
    { _id: doc._id },
    { $set: { status: later ? 'scheduled' : 'running', materialVersion: material.version, ...(later ? {} : { startedAt: now, heartbeatAt: null }) } },
  );
  if (!later) await deps.jobs.now(DISTRIBUTE_JOB, { campaignId: id });
  return getCampaign(id);
}

export async function pauseCampaign(id: string): Promise<CampaignView> {
  const doc = await findCampaign(id);
  if (doc.status !== 'running') throw wrongStatus('只有发送中的营销方案可以暂停');
  await Campaign.updateOne({ _id: doc._id }, { $set: { status: 'paused', pauseReason: '', resumeAt: null } });
  return getCampaign(id);
}

export async function resumeCampaign(id: string, deps: Pick<MarketingDeps, 'jobs'>): Promise<CampaignView> {
  const doc = await findCampaign(id);
  if (doc.status !== 'paused') throw wrongStatus('只有已暂停的营销方案可以继续');
  await Campaign.updateOne({ _id: doc._id }, { $set: { status: 'running', pauseReason: '', resumeAt: null, heartbeatAt: null } });
  await deps.jobs.now(DISTRIBUTE_JOB, { campaignId: id });
  return getCampaign(id);
}

export async function cancelCampaign(id: string, now = new Date()): Promise<CampaignView> {
  const doc = await findCampaign(id);
  if (!['scheduled', 'running', 'paused'].includes(doc.status)) throw wrongStatus('该营销方案不能取消');
  await Campaign.updateOne({ _id: doc._id }, { $set: { status: 'cancelled', finishedAt: now } });
  return getCampaign(id);
}

export async function campaignProgress(id: string, ratePerSecond: number): Promise<CampaignProgress> {
  const doc = await findCampaign(id);
  const outcomes = await outcomeCounts(id, 'contact');
  let sent = 0;
  let done = 0;
  const failed: Record<string, number> = {};
  const skipped: Record<string, number> = {};
  for (const [outcome, n] of outcomes) {
    if (outcome === 'sending') continue;
    done += n;
    if (outcome === 'sent') sent += n;
    else if (outcome.startsWith('failed:')) failed[outcome.slice(7)] = n;
    else if (outcome.startsWith('skipped:')) skipped[outcome.slice(8)] = n;
  }
  const targeted = Math.max(doc.targeted ?? 0, done);
  return {
    status: doc.status,
    targeted,
    sent,
    failed,
    skipped,
    remaining: Math.max(0, targeted - done),
    startedAt: doc.startedAt?.toISOString() ?? null,
    finishedAt: doc.finishedAt?.toISOString() ?? null,
    ratePerSecond,
  };
}
