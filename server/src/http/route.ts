// Declarative routes: every API route states who may call it and the zod schemas of its input.
// Routes translate HTTP to service calls; services never see ctx.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { StaffRole } from '@qiao/shared';
import { badRequest } from '../errors.js';
import type { Principal } from '../modules/identity/principal.js';
import { authenticate } from './auth.js';
import { zodDetails } from './errors.js';

/**
 * Who may call a route: anyone; a logged-in customer (mini-program); any mini-program session
 * (`'wechat'`: a customer, or a staff member whose WeChat is bound by invite code and who uses the
 * mini-program); or staff with one of the roles (admin always), optionally also customers
 * (`customer: true`, e.g. uploads by customers and engineers).
 */
export type Access = 'public' | 'customer' | 'wechat' | { staff: readonly StaffRole[] | 'any'; customer?: boolean };

export interface RouteInput<Q, B, P> {
  query: Q;
  body: B;
  params: P;
  principal: Principal | null;
  ctx: Context;
}

export interface RouteSpec<QS extends z.ZodTypeAny, BS extends z.ZodTypeAny, PS extends z.ZodTypeAny> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  access: Access;
  summary: string;
  query?: QS;
  body?: BS;
  params?: PS;
  /** Shape of the answer, for the OpenAPI document (not enforced at run time). */
  response?: z.ZodTypeAny;
  /** Returns the JSON body; `undefined` answers 204. */
  handler: (input: RouteInput<z.infer<QS>, z.infer<BS>, z.infer<PS>>) => Promise<unknown>;
  status?: number;
}

export interface RouteInfo {
  method: string;
  path: string;
  access: Access;
  summary: string;
  query?: z.ZodTypeAny;
  body?: z.ZodTypeAny;
  params?: z.ZodTypeAny;
  response?: z.ZodTypeAny;
  status?: number;
}

function parse<S extends z.ZodTypeAny>(schema: S | undefined, value: unknown, where: string): z.infer<S> {
  if (!schema) return undefined as z.infer<S>;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw badRequest('VALIDATION_FAILED', where === 'body' ? '提交的内容不正确' : '请求参数不正确', zodDetails(result.error));
  }
  return result.data as z.infer<S>;
}

/** A handler's answer with another status than the route's, e.g. 200 instead of 201 for a repeated create. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

/** Collects routes with their declarations, so tests and the OpenAPI document can walk them. */
export class ApiRoutes {
  readonly declared: RouteInfo[] = [];

  constructor(private readonly router: Router) {}

  add<QS extends z.ZodTypeAny, BS extends z.ZodTypeAny, PS extends z.ZodTypeAny>(spec: RouteSpec<QS, BS, PS>): void {
    const { method, path, access, summary, query, body, params, response, status } = spec;
    this.declared.push({ method: method.toUpperCase(), path, access, summary, query, body, params, response, status });
    this.router[spec.method](spec.path, async (ctx) => {
      const principal = await authenticate(ctx, spec.access);
      const input = {
        query: parse(spec.query, ctx.query, 'query'),
        body: parse(spec.body, (ctx.request as { body?: unknown }).body ?? {}, 'body'),
        params: parse(spec.params, ctx.params, 'params'),
        principal,
        ctx,
      };
      const result = await spec.handler(input);
      if (result instanceof Reply) {
        ctx.status = result.status;
        ctx.body = result.body;
        return;
      }
      if (result === undefined) {
        ctx.status = 204;
        return;
      }
      ctx.status = spec.status ?? 200;
      ctx.body = result;
    });
  }
}
