import mongoose, { Schema, type InferSchemaType } from 'mongoose';
import { importStatuses } from '@qiao/shared';

/**
 * One import (导入) and its state machine: queued → validating → importing → done | failed. The
 * job keeps its place here (`doneGroups`), so a re-run after a crash resumes where it stopped.
 */
const importSchema = new Schema(
  {
    fileName: { type: String, required: true },
    status: { type: String, enum: importStatuses, default: 'queued' },
    /** Who imported, as the job needs them (scope, owner rule, duplicate check). */
    createdBy: { type: String, required: true },
    createdByRole: { type: String, required: true },
    createdByDepartment: { type: String, default: null },
    totalRows: { type: Number, default: 0 },
    doneRows: { type: Number, default: 0 },
    /** Customer groups (rows of one customer) settled so far, in file order: the resume point. */
    doneGroups: { type: Number, default: 0 },
    counts: {
      customers: { type: Number, default: 0 },
      attachedCustomers: { type: Number, default: 0 },
      contacts: { type: Number, default: 0 },
      devices: { type: Number, default: 0 },
      rejectedRows: { type: Number, default: 0 },
    },
    error: { type: String, default: '' },
    /** The running job renews this; a crashed run is taken over once it passed. */
    leaseUntil: { type: Date, default: null },
    startedAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
  },
  { timestamps: true, versionKey: false, minimize: false },
);
// History: everyone's (admin, managers) or the importer's own, newest first; the recovery sweep.
importSchema.index({ createdAt: -1 });
importSchema.index({ createdBy: 1, createdAt: -1 });
// A manager's 导入记录: their department (subtree: `$in`), newest first.
importSchema.index({ createdByDepartment: 1, createdAt: -1 });
importSchema.index({ status: 1 });

export type ImportDoc = InferSchemaType<typeof importSchema> & { _id: mongoose.Types.ObjectId; createdAt: Date };
export const Import = mongoose.model('Import', importSchema, 'imports');

/** A rejected row with its reasons; `_id` `<importId>:<row>` so a re-run records it once. */
const importRejectionSchema = new Schema(
  {
    _id: { type: String, required: true },
    importId: { type: String, required: true },
    row: { type: Number, required: true },
    customerName: { type: String, default: '' },
    reasons: { type: [String], default: [] },
    /** The row's cells as read, for the error report. */
    values: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
);
importRejectionSchema.index({ importId: 1, row: 1 });

export type ImportRejectionDoc = InferSchemaType<typeof importRejectionSchema>;
export const ImportRejection = mongoose.model('ImportRejection', importRejectionSchema, 'import_rejections');

/**
 * A customer group added to an existing customer: the manifest of what the import wrote there.
 * Inserted BEFORE the contacts and devices it lists (and removed after them), so a roll back — of
 * a group, a batch taken over, or the whole import — finds them without the file; `_id`
 * `<importId>:<first row>` so a re-run writes it once. It is also the result's 已追加 row.
 */
const importAttachmentSchema = new Schema(
  {
    _id: { type: String, required: true },
    importId: { type: String, required: true },
    row: { type: Number, required: true },
    rows: { type: [Number], default: [] },
    customerName: { type: String, default: '' },
    /** The existing customer (never removed by a roll back). */
    customerId: { type: String, required: true },
    message: { type: String, default: '' },
    contactIds: { type: [String], default: [] },
    deviceIds: { type: [String], default: [] },
  },
  { versionKey: false, minimize: false },
);
// The result's list, in row order; a roll back of the whole import.
importAttachmentSchema.index({ importId: 1, row: 1 });

export type ImportAttachmentDoc = InferSchemaType<typeof importAttachmentSchema>;
export const ImportAttachment = mongoose.model('ImportAttachment', importAttachmentSchema, 'import_attachments');

/** The counts of an import document, every one a number (imports from before attaching have no `attachedCustomers`). */
export const countsOf = (doc: Pick<ImportDoc, 'counts'>) => ({
  customers: doc.counts?.customers ?? 0,
  attachedCustomers: doc.counts?.attachedCustomers ?? 0,
  contacts: doc.counts?.contacts ?? 0,
  devices: doc.counts?.devices ?? 0,
  rejectedRows: doc.counts?.rejectedRows ?? 0,
});
