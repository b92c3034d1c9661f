// Import of customers, contacts and devices (导入): template, upload, progress, history, error report.
import { apiErrorSchema, importDetailSchema, importSummarySchema, IMPORT_LIMITS, pagedSchema, type ImportDetail, type ImportSummary, type Paged } from '@qiao/shared';
import { z } from 'zod';
import { API_BASE, ApiError, NETWORK_ERROR_MESSAGE, apiRequest, withQuery } from './client';
import { sessionStore } from './session';
import { downloadExport } from './spread';

const importPageSchema = pagedSchema(importSummarySchema);
const startedSchema = z.object({ id: z.string() });

export const downloadImportTemplate = () => downloadExport('/imports/template', '客户导入模板.xlsx');

export const downloadImportReport = (id: string) => downloadExport(`/imports/${encodeURIComponent(id)}/report`, '导入错误报告.xlsx');

/** `POST /imports` (multipart, field `file`): the file is checked at once, then imported by a job. */
export async function startImport(file: File): Promise<{ id: string }> {
  const body = new FormData();
  body.append('file', file, file.name);
  const token = sessionStore.token();
  let response: Response;
  try {
    response = await fetch(`${API_BASE}/imports`, {
      method: 'POST',
      headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body,
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', NETWORK_ERROR_MESSAGE);
  }
  const data: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    if (response.status === 401 && token) sessionStore.clear();
    const parsed = apiErrorSchema.safeParse(data);
    if (parsed.success) throw new ApiError(response.status, parsed.data.error.code, parsed.data.error.message);
    throw new ApiError(
      response.status,
      `HTTP_${response.status}`,
      response.status === 413 ? `导入文件不能超过 ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB` : `上传失败（${response.status}）`,
    );
  }
  const checked = startedSchema.safeParse(data);
  if (!checked.success) throw new ApiError(response.status, 'INVALID_RESPONSE', '服务器返回的数据格式不正确，请稍后重试');
  return checked.data;
}

export function getImport(id: string, signal?: AbortSignal): Promise<ImportDetail> {
  return apiRequest(`/imports/${encodeURIComponent(id)}`, { schema: importDetailSchema, signal });
}

export function listImports(params: { page?: number; pageSize?: number }, signal?: AbortSignal): Promise<Paged<ImportSummary>> {
  return apiRequest(withQuery('/imports', { ...params }), { schema: importPageSchema, signal });
}
