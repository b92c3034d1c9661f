// Uploaded images: store (real JPEG/PNG only), claim for a service request or visit, serve, clean up.
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import mongoose from 'mongoose';
import { AppError, badRequest, notFound } from '../../errors.js';
import { fileUrl } from './signing.js';
import { Upload, type UploadDoc } from './upload.model.js';
import { isObjectIdString } from '../../lib/db.js';
import { findOnce, forgetOnce, takeOnce } from '../../lib/once.js';

export interface FilesDeps {
  /** config.dataDir: files go to `${dataDir}/uploads/<id>`. */
  dataDir: string;
}

export interface Uploader {
  kind: 'wechatUser' | 'staff';
  id: string;
}

export interface AttachTarget {
  kind: 'feedback' | 'visit' | 'material';
  id: string;
}

export const UPLOAD_RULES = {
  maxBytes: 5 * 1024 * 1024,
  /** Unattached uploads one person may have at a time (each attach frees its slot). */
  maxPendingPerUploader: 50,
  /** Unattached uploads older than this are deleted by the cleanup job. */
  pendingTtlMs: 24 * 3600_000,
} as const;

export type ImageType = 'image/jpeg' | 'image/png';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** What the bytes are (by their magic numbers), whatever the client said. */
export function detectImageType(bytes: Buffer): ImageType | null {
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length > PNG_SIGNATURE.length && bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'image/png';
  return null;
}

export const uploadDir = (deps: FilesDeps) => path.join(deps.dataDir, 'uploads');
const filePath = (deps: FilesDeps, id: string) => path.join(uploadDir(deps), id);

/** Slot n (1…maxPendingPerUploader) of the uploader's quota of unattached uploads. */
const slotKey = (uploader: Uploader, slot: number) => `upload-slot:${uploader.kind}:${uploader.id}:${slot}`;
const attachKey = (uploadId: string) => `upload-attach:${uploadId}`;
/** Attach claims outlive the unattached upload they guard (a day) with a margin. */
const ATTACH_CLAIM_KEEP_MS = 2 * UPLOAD_RULES.pendingTtlMs;

/**
 * The cap holds under concurrency: each unattached upload holds one of the uploader's slots, taken
 * with an insert (a count followed by an insert lets parallel uploads all pass). Null when all are
 * taken. A slot is freed on attach and by the cleanup job; one leaked by a crash expires with it.
 */
async function takeSlot(uploader: Uploader, uploadId: string, now: Date): Promise<number | null> {
  for (let slot = 1; slot <= UPLOAD_RULES.maxPendingPerUploader; slot += 1) {
    const keepMs = UPLOAD_RULES.pendingTtlMs + 2 * 3600_000;
    if (await takeOnce(slotKey(uploader, slot), { keepMs, data: { uploadId }, now })) return slot;
  }
  return null;
}

const uploadInvalid = () => badRequest('UPLOAD_INVALID', '图片无效或已被使用，请重新上传');

export async function storeUpload(bytes: Buffer, uploader: Uploader, deps: FilesDeps, now = new Date()): Promise<{ id: string; url: string }> {
  if (bytes.length > UPLOAD_RULES.maxBytes) {
    throw new AppError(413, 'UPLOAD_TOO_LARGE', `图片不能超过 ${UPLOAD_RULES.maxBytes / 1024 / 1024} MB`);
  }
  const contentType = detectImageType(bytes);
  if (!contentType) throw badRequest('UPLOAD_TYPE_NOT_ALLOWED', '只能上传 JPG 或 PNG 格式的图片');
  const id = new mongoose.Types.ObjectId();
  const slot = await takeSlot(uploader, String(id), now);
  if (slot === null) throw new AppError(429, 'UPLOAD_LIMIT_REACHED', '未提交的图片过多，请先提交或稍后再试');

  const target = filePath(deps, String(id));
  try {
    await mkdir(uploadDir(deps), { recursive: true });
    // Write then rename: a reader never sees half a file.
    const partial = `${target}.part`;
    await writeFile(partial, bytes, { mode: 0o600 });
    await rename(partial, target);
    await Upload.create({ _id: id, uploader, contentType, size: bytes.length, attachedTo: null, slot, createdAt: now });
  } catch (error) {
    await rm(target, { force: true });
    await forgetOnce(slotKey(uploader, slot));
    throw error;
  }
  return { id: String(id), url: fileUrl(String(id), now) };
}

/**
 * Attach uploads to a service request or visit. Each must exist, belong to `uploader` and be
 * unattached — else 400 UPLOAD_INVALID and nothing is attached. Claiming again for the same target
 * is a no-op (a retried request).
 */
export async function claimUploads(ids: string[], uploader: Uploader, attachTo: AttachTarget): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  if (!unique.every((id) => isObjectIdString(id))) throw uploadInvalid();
  const docs = await Upload.find({ _id: { $in: unique } }).lean<UploadDoc[]>();
  if (docs.length !== unique.length) throw uploadInvalid();
  const sameTarget = (doc: UploadDoc) => doc.attachedTo?.kind === attachTo.kind && doc.attachedTo?.id === attachTo.id;
  for (const doc of docs) {
    if (doc.uploader?.kind !== uploader.kind || doc.uploader?.id !== uploader.id) throw uploadInvalid();
    if (doc.attachedTo && !sameTarget(doc)) throw uploadInvalid();
  }
  // Only once (docs/only-once.md): an upload belongs to the target that inserted its attach claim.
  const unattached = docs.filter((doc) => !doc.attachedTo);
  const taken: string[] = [];
  for (const doc of unattached) {
    const key = attachKey(String(doc._id));
    if (await takeOnce(key, { keepMs: ATTACH_CLAIM_KEEP_MS, data: { ...attachTo } })) {
      taken.push(key);
      continue;
    }
    const holder = await findOnce(key);
    if (holder?.data?.kind === attachTo.kind && holder.data.id === attachTo.id) continue; // our own earlier try
    for (const mine of taken) await forgetOnce(mine);
    throw uploadInvalid();
  }
  for (const doc of unattached) await markAttached(doc, attachTo);
}

/**
 * Images and files of a marketing material (cover, body, attachments): each must be a staff upload,
 * either already kept for some material (reused, e.g. copied from another) or unattached and
 * uploaded by `uploader` — then attached to this material. A customer's photo never qualifies.
 */
export async function attachMaterialFiles(ids: string[], uploader: Uploader, materialId: string): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  if (!unique.every((id) => isObjectIdString(id))) throw uploadInvalid();
  const docs = await Upload.find({ _id: { $in: unique } }).lean<UploadDoc[]>();
  if (docs.length !== unique.length) throw uploadInvalid();
  const fresh: string[] = [];
  for (const doc of docs) {
    if (doc.uploader?.kind !== 'staff') throw uploadInvalid();
    if (doc.attachedTo?.kind === 'material') continue;
    if (doc.attachedTo) throw uploadInvalid();
    fresh.push(String(doc._id));
  }
  if (fresh.length > 0) await claimUploads(fresh, uploader, { kind: 'material', id: materialId });
}

/** The bytes of an upload (WeChat sync of a material's images). */
export async function readUpload(id: string, deps: FilesDeps): Promise<{ bytes: Buffer; contentType: string }> {
  const file = await openUpload(id, deps);
  const chunks: Buffer[] = [];
  for await (const chunk of file.stream) chunks.push(chunk as Buffer);
  return { bytes: Buffer.concat(chunks), contentType: file.contentType };
}

async function markAttached(doc: UploadDoc, attachTo: AttachTarget): Promise<void> {
  await Upload.updateOne({ _id: doc._id }, { $set: { attachedTo: { kind: attachTo.kind, id: attachTo.id } } });
  if (doc.slot && doc.uploader) await forgetOnce(slotKey(doc.uploader, doc.slot));
}

/** The stored file for GET /files/:id (the link is checked by the caller). */
export async function openUpload(id: string, deps: FilesDeps): Promise<{ stream: Readable; contentType: string; size: number }> {
  const fileGone = () => notFound('FILE_NOT_FOUND', '文件不存在或已被删除');
  const doc = isObjectIdString(id) ? await Upload.findById(id).lean<UploadDoc>() : null;
  if (!doc) throw fileGone();
  const target = filePath(deps, String(doc._id));
  const info = await stat(target).catch(() => null);
  if (!info) throw fileGone();
  return { stream: createReadStream(target), contentType: doc.contentType, size: info.size };
}

/**
 * Uploads nobody attached within a day: metadata first, then the bytes, then the quota slot. One
 * whose attach was claimed but never written (a crash) is attached instead.
 */
export async function deleteStaleUploads(deps: FilesDeps, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - UPLOAD_RULES.pendingTtlMs);
  const stale = await Upload.find({ attachedTo: null, createdAt: { $lt: cutoff } }).limit(1000).lean<UploadDoc[]>();
  let deleted = 0;
  for (const doc of stale) {
    const claim = await findOnce(attachKey(String(doc._id)));
    const target = claim?.data as Partial<AttachTarget> | null | undefined;
    if ((target?.kind === 'feedback' || target?.kind === 'visit' || target?.kind === 'material') && typeof target.id === 'string') {
      await markAttached(doc, { kind: target.kind, id: target.id });
      continue;
    }
    const result = await Upload.deleteOne({ _id: doc._id, attachedTo: null });
    if (result.deletedCount === 0) continue;
    await rm(filePath(deps, String(doc._id)), { force: true });
    if (doc.slot && doc.uploader) await forgetOnce(slotKey(doc.uploader, doc.slot));
    deleted += 1;
  }
  return deleted;
}
