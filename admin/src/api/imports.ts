// Import of customers, contacts and devices (导入): template, upload, progress, history, error report.
import { importDetailSchema, importPageSchema, IMPORT_LIMITS, type ImportDetail, type ImportPage } from '@qiao/shared';
import { z } from 'zod';
import { apiRequest, withQuery } from './client';
import { downloadExport } from './spread';

const startedSchema = z.object({ id: z.string() });

export const downloadImportTemplate = () => downloadExport('/imports/template', '客户导入模板.xlsx');

export const downloadImportReport = (id: string) => downloadExport(`/imports/${encodeURIComponent(id)}/report`, '导入错误报告.xlsx');

/** `POST /imports` (multipart, field `file`): the file is checked at once, then imported by a job. */
export function startImport(file: File): Promise<{ id: string }> {
  const body = new FormData();
  body.append('file', file, file.name);
  const tooLargeMessage = `导入文件不能超过 ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB`;
  return apiRequest('/imports', { method: 'POST', body, schema: startedSchema, tooLargeMessage });
}

export function getImport(id: string, signal?: AbortSignal): Promise<ImportDetail> {
  return apiRequest(`/imports/${encodeURIComponent(id)}`, { schema: importDetailSchema, signal });
}

/** `cursor`: the previous page's `nextCursor`, to read the page after it by key. */
export function listImports(params: { page?: number; pageSize?: number; cursor?: string }, signal?: AbortSignal): Promise<ImportPage> {
  return apiRequest(withQuery('/imports', { ...params }), { schema: importPageSchema, signal });
}
