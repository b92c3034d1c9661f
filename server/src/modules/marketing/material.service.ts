// 素材: articles, posters and H5 pages. Bodies are sanitised on save; every save is a version
// (`material_versions`, `_id` `<materialId>:<n>`: the insert of version n+1 is the claim of the
// edit, so two editors of version n get one winner and one 409).
import { randomBytes } from 'node:crypto';
import type { Material as MaterialView, MaterialInput, MaterialListQuery, MaterialPatch, MaterialPreview, MaterialVersion as MaterialVersionView, Paged } from '@qiao/shared';
import { campaignLandingPath } from '@qiao/shared';
import mongoose from 'mongoose';
import { conflict, notFound } from '../../errors.js';
import { isDuplicateKey, isObjectIdString } from '../../lib/db.js';
import { paged, searchFilter, skipOf } from '../../lib/query.js';
import { fileUrl } from '../files/signing.js';
import { attachMaterialFiles } from '../files/upload.service.js';
import { staffByIds } from '../identity/lookup.service.js';
import { bodyFileIds, cleanBody, signedBody } from './body-files.js';
import { Campaign } from './campaign.model.js';
import { Material, MaterialPreviewLink, MaterialVersion, versionId, type MaterialDoc, type MaterialVersionDoc } from './material.model.js';

export const PREVIEW_TTL_MS = 24 * 3600_000;
const materialNotFound = () => notFound('MATERIAL_NOT_FOUND', '素材不存在或已被删除');

type Content = Pick<MaterialDoc, 'kind' | 'title' | 'author' | 'summary' | 'coverFileId' | 'bodyHtml' | 'attachments'>;

async function toViews(docs: MaterialDoc[]): Promise<MaterialView[]> {
  const staff = await staffByIds(docs.map((doc) => doc.updatedBy));
  return docs.map((doc) => ({
    id: String(doc._id),
    kind: doc.kind,
    title: doc.title,
    author: doc.author ?? '',
    summary: doc.summary ?? '',
    coverFileId: doc.coverFileId ?? null,
    coverUrl: doc.coverFileId ? fileUrl(doc.coverFileId) : '',
    bodyHtml: signedBody(doc.bodyHtml ?? ''),
    attachments: (doc.attachments ?? []).map((a) => ({ fileId: a.fileId, name: a.name, url: fileUrl(a.fileId) })),
    version: doc.version,
    wechat: { mediaId: doc.wechat?.mediaId ?? null, syncedVersion: doc.wechat?.syncedVersion ?? null },
    updatedAt: doc.updatedAt.toISOString(),
    updatedBy: staff.get(doc.updatedBy)?.name ?? '',
  }));
}

async function findMaterialDoc(id: string): Promise<MaterialDoc> {
  const doc = isObjectIdString(id) ? await Material.findById(id).lean<MaterialDoc>() : null;
  if (!doc || doc.deletedAt) throw materialNotFound();
  return doc;
}

/** A live material (for campaigns); 404 when missing or deleted. */
export async function findMaterial(id: string): Promise<MaterialDoc> {
  return findMaterialDoc(id);
}

export async function listMaterials(query: MaterialListQuery): Promise<Paged<MaterialView>> {
  const filter = { deletedAt: null, ...(query.kind ? { kind: query.kind } : {}), ...searchFilter(query.q, ['title', 'author', 'summary']) };
  const [docs, total] = await Promise.all([
    Material.find(filter, { bodyHtml: 0 }).sort({ updatedAt: -1, _id: -1 }).skip(skipOf(query)).limit(query.pageSize).lean<MaterialDoc[]>(),
    Material.countDocuments(filter),
  ]);
  // Lists leave the body out (it can be large); the detail has it.
  return paged(await toViews(docs.map((doc) => ({ ...doc, bodyHtml: '' }))), total, query);
}

export async function getMaterial(id: string): Promise<MaterialView> {
  return (await toViews([await findMaterialDoc(id)]))[0]!;
}

/** The files a version refers to must be staff uploads; unattached ones become this material's. */
async function keepFiles(content: Content, staffId: string, materialId: string): Promise<void> {
  const ids = [...(content.coverFileId ? [content.coverFileId] : []), ...bodyFileIds(content.bodyHtml ?? ''), ...(content.attachments ?? []).map((a) => a.fileId)];
  await attachMaterialFiles(ids, { kind: 'staff', id: staffId }, materialId);
}

function versionDoc(materialId: string, version: number, content: Content, staffId: string, now: Date) {
  return {
    _id: versionId(materialId, version),
    materialId,
    version,
    kind: content.kind,
    title: content.title,
    author: content.author ?? '',
    summary: content.summary ?? '',
    coverFileId: content.coverFileId ?? null,
    bodyHtml: content.bodyHtml ?? '',
    attachments: (content.attachments ?? []).map((a) => ({ fileId: a.fileId, name: a.name })),
    savedBy: staffId,
    savedAt: now,
  };
}

export async function createMaterial(staffId: string, input: MaterialInput): Promise<MaterialView> {
  const _id = new mongoose.Types.ObjectId();
  const content: Content = { ...input, bodyHtml: cleanBody(input.bodyHtml) };
  await keepFiles(content, staffId, String(_id));
  const now = new Date();
  // The version first: a material never exists without its first version.
  await MaterialVersion.create(versionDoc(String(_id), 1, content, staffId, now));
  await Material.create({ _id, ...content, version: 1, updatedBy: staffId, createdBy: staffId });
  return getMaterial(String(_id));
}

const editConflict = () => conflict('CONCURRENT_UPDATE', '素材已被他人修改，请刷新后重试');

export async function updateMaterial(staffId: string, id: string, patch: MaterialPatch): Promise<MaterialView> {
  const current = await findMaterialDoc(id);
  const content: Content = {
    kind: patch.kind ?? current.kind,
    title: patch.title ?? current.title,
    author: patch.author ?? current.author ?? '',
    summary: patch.summary ?? current.summary ?? '',
    coverFileId: patch.coverFileId !== undefined ? patch.coverFileId : (current.coverFileId ?? null),
    bodyHtml: patch.bodyHtml !== undefined ? cleanBody(patch.bodyHtml) : (current.bodyHtml ?? ''),
    attachments: patch.attachments ?? current.attachments ?? [],
  };
  await keepFiles(content, staffId, id);
  const next = current.version + 1;
  try {
    await MaterialVersion.create(versionDoc(id, next, content, staffId, new Date()));
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    // Someone saved version `next` first. If their save stopped before the material (a crash), finish it.
    const theirs = await MaterialVersion.findById(versionId(id, next)).lean<MaterialVersionDoc>();
    if (theirs) await applyVersion(id, theirs);
    throw editConflict();
  }
  await applyVersion(id, { ...versionDoc(id, next, content, staffId, new Date()) });
  return getMaterial(id);
}

async function applyVersion(id: string, saved: Pick<MaterialVersionDoc, 'version' | 'kind' | 'title' | 'author' | 'summary' | 'coverFileId' | 'bodyHtml' | 'attachments' | 'savedBy'>): Promise<void> {
  // Only forward: an older version never overwrites a newer one.
  await Material.updateOne(
    { _id: id, version: { $lt: saved.version } },
    {
      $set: {
        kind: saved.kind,
        title: saved.title,
        author: saved.author ?? '',
        summary: saved.summary ?? '',
        coverFileId: saved.coverFileId ?? null,
        bodyHtml: saved.bodyHtml ?? '',
        attachments: saved.attachments ?? [],
        version: saved.version,
        updatedBy: saved.savedBy,
      },
    },
  );
}

/** Soft delete; refused while an unfinished campaign uses the material. */
export async function deleteMaterial(id: string): Promise<void> {
  const doc = await findMaterialDoc(id);
  const inUse = await Campaign.countDocuments({ materialId: id, deletedAt: null, status: { $in: ['draft', 'scheduled', 'running', 'paused'] } });
  if (inUse > 0) throw conflict('MATERIAL_IN_USE', '该素材正被营销方案使用，不能删除');
  await Material.updateOne({ _id: doc._id }, { $set: { deletedAt: new Date() } });
}

export async function listVersions(id: string): Promise<MaterialVersionView[]> {
  await findMaterialDoc(id);
  const docs = await MaterialVersion.find({ materialId: id }).sort({ version: -1 }).limit(200).lean<MaterialVersionDoc[]>();
  const staff = await staffByIds(docs.map((doc) => doc.savedBy));
  return docs.map((doc) => ({
    version: doc.version,
    kind: doc.kind as MaterialVersionView['kind'],
    title: doc.title,
    author: doc.author ?? '',
    summary: doc.summary ?? '',
    coverFileId: doc.coverFileId ?? null,
    bodyHtml: signedBody(doc.bodyHtml ?? ''),
    attachments: (doc.attachments ?? []).map((a) => ({ fileId: a.fileId, name: a.name })),
    savedAt: doc.savedAt.toISOString(),
    savedBy: staff.get(doc.savedBy)?.name ?? '',
  }));
}

/** The content of one saved version (what a campaign sends); null when gone. */
export async function materialVersionContent(materialId: string, version: number): Promise<MaterialVersionDoc | null> {
  return MaterialVersion.findById(versionId(materialId, version)).lean<MaterialVersionDoc>();
}

/** A signed 24-hour link to the landing page showing the current version (for a phone: 扫描二维码预览). */
export async function previewLink(id: string, publicBaseUrl: string, now = new Date()): Promise<{ url: string }> {
  const doc = await findMaterialDoc(id);
  const token = randomBytes(18).toString('base64url');
  await MaterialPreviewLink.create({ _id: token, materialId: id, version: doc.version, expiresAt: new Date(now.getTime() + PREVIEW_TTL_MS) });
  return { url: `${publicBaseUrl}/h5/#/pages/campaign/index?preview=${token}` };
}

const previewExpired = () => notFound('PREVIEW_EXPIRED', '预览链接无效或已过期，请重新生成');

export async function materialPreview(token: string, now = new Date()): Promise<MaterialPreview> {
  const link = /^[A-Za-z0-9_-]{24}$/.test(token) ? await MaterialPreviewLink.findById(token).lean() : null;
  if (!link || link.expiresAt.getTime() <= now.getTime()) throw previewExpired();
  const saved = await materialVersionContent(link.materialId, link.version);
  if (!saved) throw previewExpired();
  return {
    title: saved.title,
    author: saved.author ?? '',
    summary: saved.summary ?? '',
    coverUrl: saved.coverFileId ? fileUrl(saved.coverFileId) : '',
    bodyHtml: signedBody(saved.bodyHtml ?? ''),
    attachments: (saved.attachments ?? []).map((a) => ({ fileId: a.fileId, name: a.name, url: fileUrl(a.fileId) })),
  };
}

/** The campaign landing link a mass-sent article's 阅读原文 opens (no share token: one article for all). */
export const campaignSourceUrl = (publicBaseUrl: string, campaignId: string) => `${publicBaseUrl}${campaignLandingPath(campaignId)}`;
