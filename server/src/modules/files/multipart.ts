// Reads the one file of a multipart/form-data request (field `file`) into memory, with limits.
// HTTP parsing only; what the bytes may be is decided by upload.service.ts.
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { AppError, badRequest } from '../../errors.js';

export interface ReceivedFile {
  bytes: Buffer;
  /** As the client named and typed it: informative only, never trusted. */
  filename: string;
  declaredType: string;
}

export interface MultipartLimits {
  /** Largest file accepted; a larger one answers 413 UPLOAD_TOO_LARGE. */
  maxFileBytes: number;
  /** The whole request is cut off past this (chunked bodies have no length to check up front). */
  maxRequestBytes: number;
}

export const uploadTooLarge = (maxFileBytes: number) =>
  new AppError(413, 'UPLOAD_TOO_LARGE', `图片不能超过 ${Math.round(maxFileBytes / 1024 / 1024)} MB`);
const fileMissing = () => badRequest('UPLOAD_FILE_MISSING', '请选择要上传的图片（表单字段 file）');

export function readSingleFile(req: IncomingMessage, limits: MultipartLimits): Promise<ReceivedFile> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // busboy counts reaching its limit as truncated: one byte more lets exactly maxFileBytes through.
        limits: { files: 1, fileSize: limits.maxFileBytes + 1, fields: 10, fieldSize: 1024, parts: 20 },
      });
    } catch {
      // Not multipart/form-data (or no boundary).
      reject(fileMissing());
      return;
    }

    let settled = false;
    let failure: AppError | undefined;
    let file: ReceivedFile | undefined;
    const finish = (error?: AppError) => {
      if (settled) return;
      settled = true;
      if (error) reject(error);
      else if (failure) reject(failure);
      else if (!file) reject(fileMissing());
      else resolve(file);
    };

    // Every emitter on this path gets an `error` listener: an unlistened 'error' (e.g. a part cut
    // off mid-stream emits one on its file stream) would be thrown and take the process down.
    const malformed = () => finish(badRequest('UPLOAD_MALFORMED', '上传的内容格式不正确，请重试'));
    parser.on('file', (name, stream, info) => {
      stream.on('error', malformed);
      if (name !== 'file') {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        failure ??= uploadTooLarge(limits.maxFileBytes);
      });
      stream.on('end', () => {
        if (!stream.truncated) file = { bytes: Buffer.concat(chunks), filename: info.filename ?? '', declaredType: info.mimeType ?? '' };
      });
    });
    parser.on('filesLimit', () => {
      failure ??= badRequest('UPLOAD_TOO_MANY_FILES', '一次只能上传一张图片');
    });
    parser.on('error', malformed);
    parser.on('close', () => finish());

    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxRequestBytes && !settled) {
        req.unpipe(parser);
        req.resume();
        finish(uploadTooLarge(limits.maxFileBytes));
      }
    });
    req.on('aborted', () => finish(badRequest('UPLOAD_ABORTED', '上传已中断，请重试')));
    req.on('error', () => finish(badRequest('UPLOAD_ABORTED', '上传已中断，请重试')));
    req.pipe(parser);
  });
}
