// The one error middleware: every failure becomes {"error":{"code","message"}} with a Chinese
// message. Only 5xx are logged (with the stack); a stack never reaches the client.
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Middleware } from 'koa';
import { ZodError } from 'zod';
import { databaseConnected, isDatabaseUnavailable } from '../db/connection.js';
import { AppError, TooManyRequests } from '../errors.js';
import type { Logger } from '../logger.js';

/** Errors thrown by Koa itself or its body parser, mapped to our codes. */
const HTTP_ERRORS: Record<number, { code: string; message: string }> = {
  400: { code: 'BAD_REQUEST', message: '请求格式错误' },
  401: { code: 'UNAUTHENTICATED', message: '请先登录' },
  403: { code: 'FORBIDDEN', message: '没有权限执行此操作' },
  404: { code: 'NOT_FOUND', message: '请求的资源不存在' },
  405: { code: 'METHOD_NOT_ALLOWED', message: '不支持该请求方法' },
  413: { code: 'PAYLOAD_TOO_LARGE', message: '请求内容过大' },
  415: { code: 'UNSUPPORTED_MEDIA_TYPE', message: '不支持的内容类型' },
  422: { code: 'BAD_REQUEST', message: '请求格式错误' },
};

export function zodDetails(error: ZodError): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '_';
    details[key] ??= issue.message;
  }
  return details;
}

export const dbUnavailable = () => new AppError(503, 'DB_UNAVAILABLE', '数据库暂时不可用，请稍后重试');

/** While the driver has no connection, API calls answer 503 at once instead of waiting for a timeout. */
export function databaseGate(): Middleware {
  return async (ctx, next) => {
    if (!databaseConnected()) throw dbUnavailable();
    await next();
  };
}

export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.body === undefined || ctx.body === null) {
        if (ctx.status === 404) throw new AppError(404, 'NOT_FOUND', '请求的资源不存在');
        // The routers' allowedMethods() leave 405 (known path, other method) or 501 (a method no
        // route uses) with an Allow header and no body: both are "not this method" to a client.
        if (ctx.status === 405 || ctx.status === 501) throw new AppError(405, 'METHOD_NOT_ALLOWED', '不支持该请求方法');
      }
    } catch (caught) {
      const error = toAppError(caught);
      if (error.code === 'DB_UNAVAILABLE') {
        logger.warn({ method: ctx.method, path: ctx.path }, 'database unavailable');
      } else if (error.status >= 500) {
        logger.error({ err: caught, method: ctx.method, path: ctx.path }, 'request failed');
      }
      ctx.status = error.status;
      ctx.set('Cache-Control', 'no-store');
      ctx.set('X-Content-Type-Options', 'nosniff');
      if (error instanceof TooManyRequests) ctx.set('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
      if (error.code === 'DB_UNAVAILABLE') ctx.set('Retry-After', '2');
      ctx.body = {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
          ...(error.data !== undefined ? { data: error.data } : {}),
        },
      };
    }
  };
}

function toAppError(caught: unknown): AppError {
  if (caught instanceof AppError) return caught;
  if (isDatabaseUnavailable(caught)) return dbUnavailable();
  if (caught instanceof ZodError) {
    return new AppError(400, 'VALIDATION_FAILED', '请求参数不正确', zodDetails(caught));
  }
  const status = (caught as { status?: unknown; statusCode?: unknown })?.status ?? (caught as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const known = HTTP_ERRORS[status] ?? { code: 'BAD_REQUEST', message: '请求无效' };
    return new AppError(status, known.code, known.message);
  }
  return new AppError(500, 'INTERNAL_ERROR', '服务器内部错误，请稍后重试');
}

/**
 * Requests Node's HTTP parser refuses before Koa sees them (a URL or headers past 16 KB, broken
 * framing) get the error shape too, instead of Node's bare "400 Bad Request".
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, code, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'HEADERS_TOO_LARGE', '请求头或网址过长']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'REQUEST_TIMEOUT', '请求超时']
          : [400, 'BAD_REQUEST', '请求格式错误'];
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
