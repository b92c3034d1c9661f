// The usual routes of one kind of record in the console — list, create, read, change, delete —
// declared from one table: staff only, `:id` an ObjectId, 201 on create, the caller's staff
// principal handed to the service.
import { objectIdParamSchema } from '@qiao/shared';
import type { z } from 'zod';
import type { StaffPrincipal } from '../modules/identity/principal.js';
import { requireStaffPrincipal } from './auth.js';
import type { Access, ApiRoutes } from './route.js';

type Schema = z.ZodTypeAny;
type Run<A extends unknown[]> = (staff: StaffPrincipal, ...args: A) => Promise<unknown>;

interface RecordRoute {
  summary: string;
  /** Who may call this one, instead of the table's `access`. */
  access?: Access;
}

export interface RecordRoutesSpec<LQ extends Schema, CB extends Schema, UB extends Schema> {
  /** The collection: `path` lists and creates, `path/:id` reads, changes and deletes. */
  path: string;
  /** Staff roles (see Access); a principal that is not staff is refused. */
  access: Access;
  /** What create, read and change answer (read: unless it names its own `response`). */
  record: Schema;
  list?: RecordRoute & { query: LQ; response: Schema; run: Run<[query: z.infer<LQ>]> };
  create?: RecordRoute & { body: CB; run: Run<[body: z.infer<CB>]> };
  read?: RecordRoute & { response?: Schema; run: Run<[id: string]> };
  update?: RecordRoute & { method: 'put' | 'patch'; body: UB; run: Run<[id: string, body: z.infer<UB>]> };
  remove?: RecordRoute & { run: Run<[id: string]> };
}

/** Declares the routes of `spec` that are given, in the order list, create, read, change, delete. */
export function recordRoutes<LQ extends Schema, CB extends Schema, UB extends Schema>(api: ApiRoutes, spec: RecordRoutesSpec<LQ, CB, UB>): void {
  const { path, record, list, create, read, update, remove } = spec;
  const one = `${path}/:id`;
  const access = (route: RecordRoute) => route.access ?? spec.access;
  if (list) {
    api.add({
      method: 'get', path, access: access(list), summary: list.summary, query: list.query, response: list.response,
      handler: ({ principal, query }) => list.run(requireStaffPrincipal(principal), query),
    });
  }
  if (create) {
    api.add({
      method: 'post', path, access: access(create), summary: create.summary, body: create.body, response: record, status: 201,
      handler: ({ principal, body }) => create.run(requireStaffPrincipal(principal), body),
    });
  }
  if (read) {
    api.add({
      method: 'get', path: one, access: access(read), summary: read.summary, params: objectIdParamSchema, response: read.response ?? record,
      handler: ({ principal, params }) => read.run(requireStaffPrincipal(principal), params.id),
    });
  }
  if (update) {
    api.add({
      method: update.method, path: one, access: access(update), summary: update.summary, params: objectIdParamSchema, body: update.body, response: record,
      handler: ({ principal, params, body }) => update.run(requireStaffPrincipal(principal), params.id, body),
    });
  }
  if (remove) {
    api.add({
      method: 'delete', path: one, access: access(remove), summary: remove.summary, params: objectIdParamSchema,
      handler: ({ principal, params }) => remove.run(requireStaffPrincipal(principal), params.id),
    });
  }
}
