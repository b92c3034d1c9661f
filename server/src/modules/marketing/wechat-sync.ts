// A material version as a WeChat draft, for mass send (`mpnews` names the draft's media_id): body
// images through media/uploadimg (our links replaced by WeChat's), the cover as a permanent image
// (material/add_material), then draft/add. Kept on the material with the version and the 阅读原文
// link it was made for, and made again only when either changed.
import type { DraftArticle, UploadFile } from '../../wechat/api/index.js';
import { badRequest } from '../../errors.js';
import { readUpload, type FilesDeps } from '../files/upload.service.js';
import { replaceBodyFiles } from './body-files.js';
import { Material, MaterialVersion, versionId, type MaterialDoc, type MaterialVersionDoc } from './material.model.js';

export interface DraftClient {
  uploadArticleImage(file: UploadFile): Promise<{ url: string }>;
  addPermanentImage(file: UploadFile): Promise<{ media_id: string; url: string }>;
  addDraft(articles: DraftArticle[]): Promise<{ media_id: string }>;
}

/** WeChat's draft limits (新增草稿). */
export const DRAFT_TITLE_MAX = 32;
export const DRAFT_AUTHOR_MAX = 16;
export const DRAFT_DIGEST_MAX = 128;

/** Why a material cannot go out as a mass-sent article, or null when it can. */
export function massSendProblem(content: { kind: string; title: string; author?: string | null; coverFileId?: string | null }): string | null {
  if (content.kind !== 'article') return '群发只支持图文素材';
  if (!content.coverFileId) return '群发的图文素材需要封面图片';
  if ([...content.title].length > DRAFT_TITLE_MAX) return `群发的图文标题不能超过 ${DRAFT_TITLE_MAX} 个字`;
  if ([...(content.author ?? '')].length > DRAFT_AUTHOR_MAX) return `群发的图文作者不能超过 ${DRAFT_AUTHOR_MAX} 个字`;
  return null;
}

async function uploadFile(id: string, files: FilesDeps): Promise<UploadFile> {
  const { bytes, contentType } = await readUpload(id, files);
  return { bytes, contentType, filename: `${id}.${contentType === 'image/png' ? 'png' : 'jpg'}` };
}

/** The draft media_id of `version` of the material with `sourceUrl` as its 阅读原文 link. */
export async function syncMaterialDraft(materialId: string, version: number, sourceUrl: string, deps: { wechat: DraftClient; files: FilesDeps }): Promise<string> {
  const material = await Material.findById(materialId).lean<MaterialDoc>();
  const saved = await MaterialVersion.findById(versionId(materialId, version)).lean<MaterialVersionDoc>();
  if (!material || !saved) throw badRequest('MATERIAL_NOT_FOUND', '素材不存在或已被删除');
  const synced = material.wechat;
  if (synced?.mediaId && synced.syncedVersion === version && synced.sourceUrl === sourceUrl) return synced.mediaId;
  const problem = massSendProblem(saved);
  if (problem) throw badRequest('MATERIAL_NOT_SENDABLE', problem);

  const content = await replaceBodyFiles(saved.bodyHtml ?? '', async (fileId) => (await deps.wechat.uploadArticleImage(await uploadFile(fileId, deps.files))).url);
  const coverMediaId =
    synced?.coverMediaId && synced.coverFileId === saved.coverFileId
      ? synced.coverMediaId
      : (await deps.wechat.addPermanentImage(await uploadFile(saved.coverFileId!, deps.files))).media_id;
  const digest = [...(saved.summary ?? '')].slice(0, DRAFT_DIGEST_MAX).join('');
  const { media_id } = await deps.wechat.addDraft([
    {
      title: saved.title,
      ...(saved.author ? { author: saved.author } : {}),
      ...(digest ? { digest } : {}),
      // WeChat refuses an empty article body.
      content: content.trim() === '' ? `<p>${saved.title}</p>` : content,
      content_source_url: sourceUrl,
      thumb_media_id: coverMediaId,
    },
  ]);
  await Material.updateOne(
    { _id: materialId },
    { $set: { wechat: { mediaId: media_id, syncedVersion: version, coverMediaId, coverFileId: saved.coverFileId, sourceUrl } } },
  );
  return media_id;
}

/** After a mass send WeChat removes the draft: the next send needs a new one. */
export async function forgetDraft(materialId: string, mediaId: string): Promise<void> {
  const material = await Material.findById(materialId, { wechat: 1 }).lean<Pick<MaterialDoc, 'wechat'>>();
  if (material?.wechat?.mediaId !== mediaId) return;
  await Material.updateOne({ _id: materialId }, { $set: { 'wechat.mediaId': null, 'wechat.syncedVersion': null, 'wechat.sourceUrl': null } });
}
