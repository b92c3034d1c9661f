import mongoose, { Schema, type InferSchemaType } from 'mongoose';

const attachmentSchema = new Schema({ fileId: { type: String, required: true }, name: { type: String, required: true } }, { _id: false });

/** 素材: an article, poster or H5 page. Every save is also kept in `material_versions`. */
const materialSchema = new Schema(
  {
    kind: { type: String, enum: ['article', 'poster', 'h5'], required: true },
    title: { type: String, required: true },
    author: { type: String, default: '' },
    summary: { type: String, default: '' },
    /** An upload id (files module), or null. */
    coverFileId: { type: String, default: null },
    /** Sanitised on save (allow-list): never the raw input. */
    bodyHtml: { type: String, default: '' },
    attachments: { type: [attachmentSchema], default: [] },
    version: { type: Number, required: true, default: 1 },
    /**
     * The WeChat draft made for mass send and the version it was made from: re-synced only when
     * the material changed since. `coverMediaId` is the permanent image the draft's cover uses.
     */
    wechat: {
      mediaId: { type: String, default: null },
      syncedVersion: { type: Number, default: null },
      coverMediaId: { type: String, default: null },
      coverFileId: { type: String, default: null },
      /** The draft's 阅读原文 link (the campaign's landing): another campaign needs its own draft. */
      sourceUrl: { type: String, default: null },
    },
    /** Staff id of whoever saved the current version. */
    updatedBy: { type: String, required: true },
    createdBy: { type: String, required: true },
    /** Soft delete: campaigns keep showing the material they were sent with. */
    deletedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
// The list: newest first, without the deleted ones.
materialSchema.index({ deletedAt: 1, updatedAt: -1 });

export interface MaterialFile {
  fileId: string;
  name: string;
}
/** As read with lean(): plain arrays. */
export type MaterialDoc = Omit<InferSchemaType<typeof materialSchema>, 'attachments'> & {
  _id: mongoose.Types.ObjectId;
  attachments: MaterialFile[];
  createdAt: Date;
  updatedAt: Date;
};
export const Material = mongoose.model('Material', materialSchema, 'materials');

/** One saved version of a material: `_id` = `<materialId>:<version>` (one insert per save, never two). */
const materialVersionSchema = new Schema(
  {
    _id: { type: String, required: true },
    materialId: { type: String, required: true },
    version: { type: Number, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    author: { type: String, default: '' },
    summary: { type: String, default: '' },
    coverFileId: { type: String, default: null },
    bodyHtml: { type: String, default: '' },
    attachments: { type: [attachmentSchema], default: [] },
    savedBy: { type: String, required: true },
    savedAt: { type: Date, required: true },
  },
  { versionKey: false, minimize: false },
);
materialVersionSchema.index({ materialId: 1, version: -1 });

export type MaterialVersionDoc = Omit<InferSchemaType<typeof materialVersionSchema>, 'attachments'> & { _id: string; attachments: MaterialFile[] };
export const MaterialVersion = mongoose.model('MaterialVersion', materialVersionSchema, 'material_versions');

export const versionId = (materialId: string, version: number) => `${materialId}:${version}`;

/** A signed preview of a material version: `_id` is the random token in the link; valid 24 hours. */
const materialPreviewSchema = new Schema(
  {
    _id: { type: String, required: true },
    materialId: { type: String, required: true },
    version: { type: Number, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
export type MaterialPreviewDoc = InferSchemaType<typeof materialPreviewSchema> & { _id: string };
export const MaterialPreviewLink = mongoose.model('MaterialPreviewLink', materialPreviewSchema, 'material_previews');
