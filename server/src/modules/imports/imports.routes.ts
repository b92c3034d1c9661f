// Import of customers, contacts and devices (导入): the template, the upload (202, run by a job),
// progress and result, history and the error report. Sales import their own customers; managers
// and admin for anyone in their scope.
import { importDetailSchema, importListQuerySchema, importPageSchema, IMPORT_LIMITS, objectIdParamSchema } from '@qiao/shared';
import type { Context } from 'koa';
import { z } from 'zod';
import { AppError, badRequest } from '../../errors.js';
import { requireStaffPrincipal } from '../../http/auth.js';
import type { Access, ApiRoutes } from '../../http/route.js';
import type { JobQueue } from '../../jobs/runner.js';
import { readSingleFile } from '../files/multipart.js';
import { attachmentDisposition, XLSX_TYPE } from '../spread/export.js';
import type { ImportDeps } from './import.files.js';
import { getImport, listImports, rejectionReport, startImport } from './import.service.js';
import { templateWorkbook } from './workbook.js';

export const IMPORTERS: Access = { staff: ['sales', 'manager'] };
const MULTIPART_OVERHEAD = 64 * 1024;

function sendXlsx(ctx: Context, bytes: Buffer, name: string, fallback: string): Buffer {
  ctx.type = XLSX_TYPE;
  ctx.set('Content-Disposition', attachmentDisposition(name, fallback));
  ctx.set('Cache-Control', 'no-store');
  return bytes;
}

const tooLarge = () => new AppError(413, 'IMPORT_FILE_TOO_LARGE', `导入文件不能超过 ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB`);

/** busboy reads a part's file name as latin1; browsers send UTF-8 bytes (客户.xlsx). */
function utf8Name(name: string): string {
  if (!/^[\x00-\xff]*$/.test(name)) return name;
  const decoded = Buffer.from(name, 'latin1').toString('utf8');
  return decoded.includes('\ufffd') ? name : decoded;
}

/** The upload's file, with the import's own wording of what went wrong. */
async function receiveFile(ctx: Context): Promise<{ bytes: Buffer; fileName: string }> {
  if (Number(ctx.get('content-length') || 0) > IMPORT_LIMITS.maxBytes + MULTIPART_OVERHEAD) {
    ctx.set('Connection', 'close');
    throw tooLarge();
  }
  try {
    const file = await readSingleFile(ctx.req, { maxFileBytes: IMPORT_LIMITS.maxBytes, maxRequestBytes: IMPORT_LIMITS.maxBytes + MULTIPART_OVERHEAD });
    return { bytes: file.bytes, fileName: utf8Name(file.filename) };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    if (error.status === 413) {
      ctx.set('Connection', 'close');
      throw tooLarge();
    }
    if (error.code === 'UPLOAD_FILE_MISSING') throw badRequest('IMPORT_FILE_MISSING', '请选择要导入的 Excel 文件（表单字段 file）');
    if (error.code === 'UPLOAD_TOO_MANY_FILES') throw badRequest('IMPORT_FILE_INVALID', '一次只能导入一个文件');
    throw error;
  }
}

export function importRoutes(api: ApiRoutes, deps: ImportDeps & { jobs: JobQueue }): void {
  // Before `/imports/:id`, which would take `template` for an id.
  api.add({
    method: 'get',
    path: '/api/v1/imports/template',
    access: IMPORTERS,
    summary: '下载客户导入模板（xlsx）',
    handler: async ({ ctx }) => sendXlsx(ctx, await templateWorkbook(), '客户导入模板.xlsx', 'customer-import-template.xlsx'),
  });
  api.add({
    method: 'post',
    path: '/api/v1/imports',
    access: IMPORTERS,
    summary: `导入客户、联系人和设备（multipart 表单字段 file，xlsx，不超过 ${IMPORT_LIMITS.maxBytes / 1024 / 1024} MB、${IMPORT_LIMITS.maxRows} 行；后台执行）`,
    response: z.object({ id: z.string() }),
    status: 202,
    handler: async ({ principal, ctx }) => startImport(requireStaffPrincipal(principal), await receiveFile(ctx), deps),
  });
  api.add({
    method: 'get',
    path: '/api/v1/imports',
    access: IMPORTERS,
    summary: '导入记录',
    query: importListQuerySchema,
    response: importPageSchema,
    handler: ({ principal, query }) => listImports(requireStaffPrincipal(principal), query),
  });
  api.add({
    method: 'get',
    path: '/api/v1/imports/:id',
    access: IMPORTERS,
    summary: '导入进度与结果（含未导入的行及原因）',
    params: objectIdParamSchema,
    response: importDetailSchema,
    handler: ({ principal, params }) => getImport(requireStaffPrincipal(principal), params.id),
  });
  api.add({
    method: 'get',
    path: '/api/v1/imports/:id/report',
    access: IMPORTERS,
    summary: '下载导入错误报告（xlsx）',
    params: objectIdParamSchema,
    handler: async ({ principal, params, ctx }) => {
      const report = await rejectionReport(requireStaffPrincipal(principal), params.id);
      return sendXlsx(ctx, report.bytes, report.fileName, `import-errors-${params.id}.xlsx`);
    },
  });
}
