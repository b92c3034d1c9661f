// What every API request must look like before a route sees it: a body, if any, is JSON (or the
// multipart upload), and a JSON body is an object. Anything else is a 4xx in the error shape.
import type { Context, Middleware, Next } from 'koa';
import { AppError, badRequest } from '../errors.js';

const hasBody = (ctx: Context) => Number(ctx.get('content-length') || 0) > 0 || ctx.get('transfer-encoding') !== '';

/** Wraps the JSON body parser (`jsonBody`) with these checks. */
export const apiRequestShape = (jsonBody: Middleware) => async (ctx: Context, next: Next): Promise<void> => {
  // Only JSON, and multipart/form-data for uploads (read by that route itself): a form or text body
  // silently treated as `{}` would let a cross-site form post reach the API.
  if (hasBody(ctx) && !ctx.is('application/json', 'multipart/form-data')) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请求内容应为 JSON（Content-Type: application/json）');
  }
  let parsed = false;
  try {
    await jsonBody(ctx, async () => {
      parsed = true;
      const body = (ctx.request as { body?: unknown }).body;
      if (Array.isArray(body)) throw badRequest('BAD_REQUEST', '请求内容应为 JSON 对象');
      await next();
    });
  } catch (error) {
    if (parsed) throw error;
    // Reading the body failed: a bad gzip stream, an aborted upload, a wrong charset. The client's
    // fault whenever the parser did not say otherwise (413, 415).
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) throw error;
    throw badRequest('BAD_REQUEST', '请求格式错误');
  }
};
