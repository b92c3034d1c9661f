// Image uploads (customers and engineers) and signed file links.
import { objectIdSchema } from '@qiao/shared';
import { z } from 'zod';
import { forbidden } from '../../errors.js';
import type { Principal } from '../identity/principal.js';
import type { ApiRoutes } from '../../http/route.js';
import { readSingleFile, uploadTooLarge } from './multipart.js';
import { verifyFileLink } from './signing.js';
import { openUpload, storeUpload, UPLOAD_RULES, type FilesDeps, type Uploader } from './upload.service.js';

/** Room for multipart headers and a few small fields around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;
/** Declared bodies larger than this are refused without reading them. */
const MAX_READ_BYTES = 4 * UPLOAD_RULES.maxBytes;

const fileLinkSchema = z.object({ id: objectIdSchema, exp: z.string(), sig: z.string() }).strict();
const linkInvalid = () => forbidden('FILE_LINK_INVALID', '图片链接无效或已过期，请刷新页面');

function uploaderOf(principal: Principal | null): Uploader {
  if (principal?.kind === 'customer') return { kind: 'wechatUser', id: principal.wechatUserId };
  if (principal?.kind === 'staff') return { kind: 'staff', id: principal.staffId };
  throw forbidden('FORBIDDEN', '没有权限执行此操作');
}

export function filesRoutes(api: ApiRoutes, deps: FilesDeps): void {
  api.add({
    method: 'post',
    path: '/api/v1/uploads',
    // Marketing staff upload material covers, body images and attachments.
    access: { staff: ['engineer', 'marketer', 'manager'], customer: true },
    summary: '上传图片（JPG/PNG，不超过 5 MB，表单字段 file）',
    response: z.object({ id: z.string(), url: z.string() }),
    handler: async ({ principal, ctx }) => {
      const uploader = uploaderOf(principal);
      const declared = Number(ctx.get('content-length') || 0);
      if (declared > MAX_READ_BYTES) {
        ctx.set('Connection', 'close');
        throw uploadTooLarge(UPLOAD_RULES.maxBytes);
      }
      let file;
      try {
        file = await readSingleFile(ctx.req, { maxFileBytes: UPLOAD_RULES.maxBytes, maxRequestBytes: UPLOAD_RULES.maxBytes + MULTIPART_OVERHEAD });
      } catch (error) {
        // The rest of an oversized body is not read: do not keep the connection for another request.
        if ((error as { status?: number }).status === 413) ctx.set('Connection', 'close');
        throw error;
      }
      return storeUpload(file.bytes, uploader, deps);
    },
  });

  api.add({
    method: 'get',
    path: '/api/v1/files/:id',
    access: 'public',
    summary: '查看图片（凭签名链接，1 小时内有效）',
    handler: async ({ ctx }) => {
      const link = fileLinkSchema.safeParse({ id: ctx.params.id, exp: ctx.query.exp, sig: ctx.query.sig });
      if (!link.success || !verifyFileLink(link.data.id, link.data.exp, link.data.sig)) throw linkInvalid();
      const file = await openUpload(link.data.id, deps);
      const maxAge = Math.max(0, Number(link.data.exp) - Math.floor(Date.now() / 1000));
      ctx.type = file.contentType;
      ctx.length = file.size;
      ctx.set('Cache-Control', `private, max-age=${maxAge}`);
      ctx.set('Content-Security-Policy', "default-src 'none'");
      return file.stream;
    },
  });
}
