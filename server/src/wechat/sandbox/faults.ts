// Failure injection (a control endpoint, not a WeChat API): the next calls of a WeChat API answer
// an error code, or an HTTP error as an overloaded server would — to test how Qiao handles each
// kind. `POST /sandbox/faults {path, errcode?, httpStatus?, times?, openid?}` (errcode default -1;
// httpStatus 5xx instead of an errcode; times default 1; openid: only calls for that `touser`);
// `GET /sandbox/faults` lists what is pending; `DELETE /sandbox/faults` clears them.
import type Router from '@koa/router';
import { controlError, ERRMSG, SandboxWeChatError, type WeChatErrcode } from './errors.js';
import { handle, isObject, readBody, type SandboxContext, type SandboxCtxState } from './http.js';
import type { SandboxStore } from './state.js';

export interface Fault {
  path: string;
  errcode: WeChatErrcode;
  httpStatus: number | null;
  remaining: number;
  openid: string | null;
}

const faults = new WeakMap<SandboxStore, Fault[]>();
const faultsOf = (store: SandboxStore) => {
  let list = faults.get(store);
  if (!list) {
    list = [];
    faults.set(store, list);
  }
  return list;
};

/** Throws the injected failure for this call, if one is pending (called after the body is parsed). */
export function injectFault(store: SandboxStore, ctx: SandboxContext, path: string): void {
  const list = faultsOf(store);
  if (list.length === 0) return;
  const body: unknown = ctx.request.body;
  const touser = isObject(body) && typeof body.touser === 'string' ? body.touser : null;
  const index = list.findIndex((fault) => fault.path === path && (fault.openid === null || fault.openid === touser));
  if (index < 0) return;
  const fault = list[index]!;
  fault.remaining -= 1;
  if (fault.remaining <= 0) list.splice(index, 1);
  if (fault.httpStatus !== null) throw new SandboxWeChatError(-1, 'injected failure', {}, fault.httpStatus);
  throw new SandboxWeChatError(fault.errcode, 'injected');
}

export function registerFaultRoutes(router: Router<SandboxCtxState>, store: SandboxStore): void {
  router.post(
    '/faults',
    handle((ctx) => {
      const body = readBody(ctx);
      const path = body.path;
      if (typeof path !== 'string' || !path.startsWith('/cgi-bin/')) throw controlError('path must be a WeChat API path like /cgi-bin/message/custom/send');
      const errcode = body.errcode ?? -1;
      if (typeof errcode !== 'number' || !(String(errcode) in ERRMSG)) throw controlError(`errcode must be one of ${Object.keys(ERRMSG).join(', ')}`);
      const httpStatus = body.httpStatus ?? null;
      if (httpStatus !== null && (typeof httpStatus !== 'number' || httpStatus < 500 || httpStatus > 599)) throw controlError('httpStatus must be 500–599');
      const times = body.times ?? 1;
      if (typeof times !== 'number' || !Number.isInteger(times) || times < 1 || times > 100_000) throw controlError('times must be 1–100000');
      const openid = body.openid ?? null;
      if (openid !== null && typeof openid !== 'string') throw controlError('openid must be a string');
      const fault: Fault = { path, errcode: errcode as WeChatErrcode, httpStatus, remaining: times, openid };
      faultsOf(store).push(fault);
      return { fault };
    }),
  );
  router.get(
    '/faults',
    handle(() => ({ items: faultsOf(store) })),
  );
  router.delete(
    '/faults',
    handle(() => {
      const list = faultsOf(store);
      const cleared = list.length;
      list.splice(0, list.length);
      return { cleared };
    }),
  );
}
