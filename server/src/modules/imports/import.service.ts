// Imports as people see them: upload (checked at once, run by a job), progress, history and the
// error report. Who sees an import: admin all; a manager those of their department subtree; a
// salesperson their own.
import { mkdir, writeFile } from 'node:fs/promises';
import {
  IMPORT_REJECTIONS_SHOWN,
  importColumns,
  type ImportDetail,
  type ImportListQuery,
  type ImportPage,
  type ImportSummary,
} from '@qiao/shared';
import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { notFound } from '../../errors.js';
import type { JobQueue } from '../../jobs/runner.js';
import { isObjectIdString } from '../../lib/db.js';
import { afterCursor, cursorAfter, dateCursorOf, flatFilter, paged, skipOf } from '../../lib/query.js';
import { staffByIds } from '../identity/lookup.service.js';
import { departmentFilter, inDepartmentScope } from '../org/scope.js';
import { importDir, importFilePath, type ImportDeps, type Importer } from './import.files.js';
import { countsOf, Import, ImportAttachment, ImportRejection, type ImportAttachmentDoc, type ImportDoc, type ImportRejectionDoc } from './import.model.js';
import { IMPORT_JOB, type ImportJob } from './import.runner.js';
import { readImportRows } from './workbook.js';

const importNotFound = () => notFound('IMPORT_NOT_FOUND', '导入记录不存在');

/** Checks the file now (a wrong file is refused at once), keeps it, and queues the job. */
export async function startImport(importer: Importer, file: { bytes: Buffer; fileName: string }, deps: ImportDeps & { jobs: JobQueue }): Promise<{ id: string }> {
  const rows = await readImportRows(file.bytes);
  const id = new mongoose.Types.ObjectId();
  await mkdir(importDir(deps), { recursive: true });
  await writeFile(importFilePath(deps, String(id)), file.bytes);
  await Import.create({
    _id: id,
    fileName: file.fileName.slice(0, 200) || '导入文件.xlsx',
    status: 'queued',
    createdBy: importer.staffId,
    createdByRole: importer.role,
    createdByDepartment: importer.department,
    totalRows: rows.length,
  });
  await deps.jobs.now<ImportJob>(IMPORT_JOB, { importId: String(id) });
  return { id: String(id) };
}

async function visibilityFilter(viewer: Importer): Promise<Record<string, unknown>> {
  if (viewer.role === 'admin') return {};
  if (viewer.role === 'manager') return departmentFilter(viewer, 'createdByDepartment');
  return { createdBy: viewer.staffId };
}

async function findVisible(viewer: Importer, id: string): Promise<ImportDoc> {
  const doc = isObjectIdString(id) ? await Import.findById(id).lean<ImportDoc>() : null;
  if (!doc) throw importNotFound();
  const visible =
    viewer.role === 'admin' ||
    doc.createdBy === viewer.staffId ||
    (viewer.role === 'manager' && (await inDepartmentScope(viewer, doc.createdByDepartment ?? '')));
  if (!visible) throw importNotFound();
  return doc;
}

async function summaries(docs: ImportDoc[]): Promise<ImportSummary[]> {
  const names = await staffByIds(docs.map((d) => d.createdBy));
  return docs.map((doc) => ({
    id: String(doc._id),
    fileName: doc.fileName,
    status: doc.status,
    totalRows: doc.totalRows,
    doneRows: doc.doneRows,
    counts: countsOf(doc),
    error: doc.error ?? '',
    createdBy: doc.createdBy,
    createdByName: names.get(doc.createdBy)?.name ?? '',
    createdAt: doc.createdAt.toISOString(),
    finishedAt: doc.finishedAt ? doc.finishedAt.toISOString() : null,
  }));
}

/** 导入记录, newest first: by key after `cursor` (deep pages stay fast), else by page number. */
export async function listImports(viewer: Importer, query: ImportListQuery): Promise<ImportPage> {
  const filter = query.mine === '1' ? { createdBy: viewer.staffId } : await visibilityFilter(viewer);
  const cursor = dateCursorOf(query.cursor);
  const after = cursor ? afterCursor('createdAt', -1, cursor) : null;
  const [docs, total] = await Promise.all([
    Import.find(after ? flatFilter(filter, after.condition) : filter)
      .sort({ createdAt: -1, _id: -1 })
      .skip(after ? after.skip : skipOf(query))
      .limit(query.pageSize)
      .lean<ImportDoc[]>(),
    Import.countDocuments(filter),
  ]);
  const nextCursor = cursorAfter(docs, query.pageSize, (doc) => doc.createdAt, cursor);
  return { ...paged(await summaries(docs), total, query), nextCursor };
}

const rejectionsOf = (importId: string, limit?: number) => {
  const query = ImportRejection.find({ importId }).sort({ row: 1 });
  return (limit ? query.limit(limit) : query).lean<ImportRejectionDoc[]>();
};

/** Groups added to existing customers (已追加), in row order. */
const attachmentsOf = (importId: string, limit?: number) => {
  const query = ImportAttachment.find({ importId }).sort({ row: 1 });
  return (limit ? query.limit(limit) : query).lean<ImportAttachmentDoc[]>();
};

export async function getImport(viewer: Importer, id: string): Promise<ImportDetail> {
  const doc = await findVisible(viewer, id);
  const [rejected, attached] = await Promise.all([rejectionsOf(id, IMPORT_REJECTIONS_SHOWN + 1), attachmentsOf(id, IMPORT_REJECTIONS_SHOWN + 1)]);
  const [summary] = await summaries([doc]);
  return {
    ...summary!,
    rejections: rejected.slice(0, IMPORT_REJECTIONS_SHOWN).map((r) => ({ row: r.row, customerName: r.customerName ?? '', reasons: r.reasons })),
    rejectionsTruncated: rejected.length > IMPORT_REJECTIONS_SHOWN,
    attachments: attached.slice(0, IMPORT_REJECTIONS_SHOWN).map((a) => ({
      row: a.row,
      rows: [...(a.rows ?? [])],
      customerName: a.customerName ?? '',
      customerId: a.customerId,
      message: a.message ?? '',
      contacts: a.contactIds?.length ?? 0,
      devices: a.deviceIds?.length ?? 0,
    })),
    attachmentsTruncated: attached.length > IMPORT_REJECTIONS_SHOWN,
  };
}

/** The error report: every rejected row with its cells as uploaded and the reasons, ready to fix and import again. */
export async function rejectionReport(viewer: Importer, id: string): Promise<{ bytes: Buffer; fileName: string }> {
  const doc = await findVisible(viewer, id);
  const rejected = await rejectionsOf(id);
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('错误行');
  sheet.addRow(['原行号', '错误原因', ...importColumns.map((c) => c.header)]).font = { bold: true };
  for (const r of rejected) {
    const values = (r.values ?? {}) as Record<string, string>;
    sheet.addRow([r.row, r.reasons.join('；'), ...importColumns.map((c) => values[c.key] ?? '')]);
  }
  sheet.getColumn(2).width = 60;
  // The groups added to existing customers, so the report says where those rows went.
  const attached = await attachmentsOf(id);
  if (attached.length > 0) {
    const more = book.addWorksheet('已追加到现有客户');
    more.addRow(['原行号', '客户名称', '说明', '联系人', '设备']).font = { bold: true };
    for (const a of attached) more.addRow([(a.rows ?? [a.row]).join('、'), a.customerName ?? '', a.message ?? '', a.contactIds?.length ?? 0, a.deviceIds?.length ?? 0]);
    more.getColumn(3).width = 60;
  }
  const base = doc.fileName.replace(/\.xlsx$/i, '');
  return { bytes: Buffer.from(await book.xlsx.writeBuffer()), fileName: `${base}-错误报告.xlsx` };
}
