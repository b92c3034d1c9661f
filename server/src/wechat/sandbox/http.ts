// HTTP plumbing shared by the sandbox's route files: access-token check, body reading, small
// input readers. Handlers return the JSON body or throw SandboxWeChatError.
import type { Middleware } from 'koa';
import type { RouterContext } from '@koa/router';
import { wxError, type SandboxWeChatError } from './errors.js';
import type { SandboxApp, SandboxStore } from './state.js';

export interface SandboxCtxState {
  sandboxApp?: SandboxApp;
  sandboxBodyError?: string;
}

export type SandboxContext = RouterContext<SandboxCtxState>;
export type Handler = (ctx: SandboxContext) => unknown;

/** Route middleware: the call needs a valid `access_token` of an app of `kind` (any kind when omitted). */
export function requireAnyToken(store: SandboxStore): Middleware<SandboxCtxState> {
  return requireToken(store);
}

export function requireToken(store: SandboxStore, kind?: 'oa' | 'mp'): Middleware<SandboxCtxState> {
  return async (ctx, next) => {
    const token = ctx.query.access_token;
    if (typeof token !== 'string' || token === '') throw wxError(41001);
    const record = store.tokens.get(token);
    if (!record) throw wxError(40001);
    const now = store.now();
    if (record.expiresAt <= now) throw wxError(42001);
    if (record.invalidAfter <= now) throw wxError(40001);
    const app = store.apps.get(record.appid);
    if (!app) throw wxError(40001);
    ctx.state.sandboxApp = app;
    // A mini-program token cannot call Official Account APIs and vice versa.
    if (kind !== undefined && app.kind !== kind) throw wxError(48001);
    await next();
  };
}

/** The app `requireToken` authenticated. */
export function appOf(ctx: SandboxContext): SandboxApp {
  const app = ctx.state.sandboxApp;
  if (!app) throw new Error('sandbox route without requireToken');
  return app;
}

/** Wrap a handler: its return value becomes the JSON body. */
export function handle(handler: Handler): Middleware<SandboxCtxState> {
  return async (ctx) => {
    const body = await handler(ctx as SandboxContext);
    ctx.status = 200;
    ctx.type = 'application/json';
    ctx.body = body;
  };
}

/** The parsed JSON body of a POST; 47001 when it is not a JSON object. */
export function readBody(ctx: SandboxContext): Record<string, unknown> {
  if (ctx.state.sandboxBodyError !== undefined) throw wxError(47001, ctx.state.sandboxBodyError);
  const body: unknown = ctx.request.body;
  if (body === undefined) return {};
  if (!isObject(body)) throw wxError(47001);
  return body;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, or undefined. */
export function optString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A query parameter as a string ('' when absent or repeated). */
export function queryParam(ctx: SandboxContext, name: string): string {
  const value = ctx.query[name];
  return typeof value === 'string' ? value : '';
}

/** Integers may arrive as numbers or numeric strings (WeChat accepts both). */
export function optInt(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

export function isSandboxError(error: unknown): error is SandboxWeChatError {
  return error instanceof Error && error.name === 'SandboxWeChatError';
}
