// The WeChat sandbox: a local fake of the parts of WeChat's server API Qiao uses, in WeChat's own
// request/response formats and error codes, plus control endpoints to act as a WeChat user and
// to see what was sent. Every route is under /sandbox, so WECHAT_API_BASE is
// `http://<host>:<port>/sandbox` whether it is mounted in the Qiao server or runs alone.
//
// State is in memory, per sandbox instance (see state.ts). Simplifications are documented where
// they are made: each route file names the WeChat rules it models.
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import Router, { type Layer } from '@koa/router';
import Koa, { type Middleware } from 'koa';
import { oaUserView, registerControlRoutes } from './control.js';
import { registerDraftRoutes, draftState, type SandboxDraft } from './draft.js';
import { controlError, errorBody, wxError } from './errors.js';
import { injectFault, registerFaultRoutes } from './faults.js';
import { isSandboxError, type SandboxCtxState } from './http.js';
import { registerMassRoutes } from './mass.js';
import { registerMenuRoutes } from './menu.js';
import { registerMessageRoutes } from './message.js';
import { registerMiniProgramRoutes } from './miniprogram.js';
import { registerOAuthRoutes } from './oauth.js';
import { registerQrCodeRoutes } from './qrcode.js';
import {
  SandboxStore,
  type CallRecord,
  type MessageKind,
  type MintLoginCodeInput,
  type QrCode,
  type RegisterOaUserInput,
  type SandboxApp,
  type SandboxOptions,
  type SentMessage,
  type SmsRecord,
} from './state.js';
import { registerTagRoutes } from './tags.js';
import { grantConsent, QIAO_TEMPLATES, registerTemplate, registerTemplateRoutes, type SandboxTemplate, type TemplateSeed } from './templates.js';
import { registerTicketRoutes } from './ticket.js';
import { registerTokenRoutes } from './token.js';
import { registerUserRoutes } from './user.js';

export type { CallRecord, MessageKind, MintLoginCodeInput, QrCode, RegisterOaUserInput, SandboxApp, SandboxOptions, SentMessage, SmsRecord };
export type { SandboxTemplate, TemplateSeed, SandboxDraft };
export { SUBSCRIBE_SCENES, WINDOWS } from './state.js';
export { QIAO_TEMPLATES, valueFits } from './templates.js';

export const SANDBOX_PREFIX = '/sandbox';

export type OaUserView = ReturnType<typeof oaUserView>;

export interface SentFilter {
  openid?: string;
  kind?: MessageKind;
  appid?: string;
}

export interface Sandbox {
  readonly apps: readonly SandboxApp[];
  /** Routes + body parser for /sandbox/*; every other path is passed on with next(). */
  middleware(): Middleware;
  /** Register or update an Official Account follower (POST /sandbox/oa/users). */
  registerUser(input: RegisterOaUserInput): OaUserView;
  /** A follower as the sandbox sees it (tags, windows), or undefined. */
  user(openid: string, appid?: string): OaUserView | undefined;
  /** The user sent a message / triggered an event: opens the customer-service window (POST /sandbox/oa/interactions). */
  recordInteraction(openid: string, kind: 'message' | 'event', appid?: string): OaUserView;
  /** What wx.login gives the mini-program (POST /sandbox/mp/login-code). */
  mintLoginCode(input: MintLoginCodeInput): string;
  /** Everything sent, oldest first; `sent('openid')` or `sent({ openid, kind, appid })`. */
  sent(filter?: string | SentFilter): SentMessage[];
  clearSent(): void;
  /** The SMS inbox (GET /sandbox/sms?phone=), oldest first / newest last; all numbers without `phone`. */
  sms(phone?: string): SmsRecord[];
  /** The app's tokens answer 40001 from now on. */
  invalidateToken(appid: string): void;
  /** The app's tokens answer 42001 from now on. */
  expireToken(appid: string): void;
  /** How many tokens /cgi-bin/token granted to the app. */
  tokenGrants(appid: string): number;
  /** The app's current stable_token token, else the latest cgi-bin/token grant. */
  currentToken(appid: string): string | undefined;
  /** WeChat API calls received (not control calls), oldest first; the last 2000 are kept. */
  calls(): CallRecord[];
  qrCode(ticket: string): QrCode | undefined;
  /** Register a message template (POST /sandbox/templates). */
  registerTemplate(seed: TemplateSeed): SandboxTemplate;
  /** The mini-program user tapped 允许 for these templates (POST /sandbox/mp/subscribe-consent) → sends left. */
  grantConsent(openid: string, templateIds: string[], appid?: string): Record<string, number>;
  /** The stored custom menu of the Official Account, or undefined. */
  menu(appid?: string): { button: unknown[]; menuid: number } | undefined;
  /** Drafts saved with draft/add (GET /sandbox/drafts). */
  drafts(): SandboxDraft[];
  /** Forget users, tokens, tags, messages, … (the apps stay). */
  reset(): void;
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const store = new SandboxStore(options);
  const router = new Router<SandboxCtxState>({ prefix: SANDBOX_PREFIX });
  registerTokenRoutes(router, store);
  registerUserRoutes(router, store);
  registerMessageRoutes(router, store);
  registerTagRoutes(router, store);
  registerMassRoutes(router, store);
  registerQrCodeRoutes(router, store);
  registerTicketRoutes(router, store);
  registerMiniProgramRoutes(router, store);
  registerTemplateRoutes(router, store);
  registerMenuRoutes(router, store);
  registerDraftRoutes(router, store);
  registerControlRoutes(router, store);
  registerFaultRoutes(router, store);
  registerOAuthRoutes(router, store);
  // Qiao's templates by their default ids, then those the configuration names (WECHAT_TEMPLATE_*).
  for (const seed of [...QIAO_TEMPLATES, ...(options.templates ?? [])]) {
    if ([...store.apps.values()].some((app) => app.kind === seed.kind)) registerTemplate(store, seed);
  }

  const parseBody = bodyParser({
    enableTypes: ['json'],
    // WeChat reads the body as JSON whatever the content-type says.
    detectJSON: () => true,
    jsonLimit: '1mb',
    onError: (error, ctx) => {
      (ctx.state as SandboxCtxState).sandboxBodyError = error.message;
    },
  });
  const routes = router.routes() as unknown as Middleware;

  /** No route matched: WeChat's answer for a wrong method, else a 404. */
  const notFound: Middleware = async (ctx) => {
    const layers = ((ctx as { matched?: Layer[] }).matched ?? []).filter((layer) => layer.methods.length > 0);
    const methods = new Set(layers.flatMap((layer) => layer.methods));
    if (methods.has('POST') && ctx.method !== 'POST') throw wxError(43002);
    if (methods.has('GET') && ctx.method !== 'GET') throw wxError(43001);
    throw controlError(`no such API in the WeChat sandbox: ${ctx.method} ${ctx.path}`, -1, 404);
  };

  const middleware: Middleware = async (ctx, next) => {
    if (ctx.path !== SANDBOX_PREFIX && !ctx.path.startsWith(`${SANDBOX_PREFIX}/`)) return next();
    try {
      const api = ctx.path.slice(SANDBOX_PREFIX.length);
      const route = () => {
        if (api.startsWith('/cgi-bin/')) injectFault(store, ctx as never, api);
        return routes(ctx, () => notFound(ctx, async () => {}));
      };
      // Uploads (media/uploadimg, material/add_material) read their multipart body themselves.
      await (ctx.is('multipart') ? route() : parseBody(ctx, route));
    } catch (error) {
      ctx.type = 'application/json';
      if (isSandboxError(error)) {
        ctx.status = error.status;
        ctx.body = { ...errorBody(error.errcode, error.detail), ...error.extra };
      } else {
        ctx.status = 500;
        ctx.body = errorBody(-1, error instanceof Error ? error.message : String(error));
      }
    }
    const path = ctx.path.slice(SANDBOX_PREFIX.length);
    if (path.startsWith('/cgi-bin/') || path.startsWith('/sns/')) {
      const body = ctx.body as { errcode?: unknown } | undefined;
      store.logCall({
        method: ctx.method,
        path,
        appid: (ctx.state as SandboxCtxState).sandboxApp?.appid ?? null,
        errcode: typeof body?.errcode === 'number' ? body.errcode : 0,
      });
    }
  };

  return {
    apps: [...store.apps.values()],
    middleware: () => middleware,
    registerUser: (input) => oaUserView(store.registerOaUser(input)),
    user(openid, appid) {
      const user = store.oaUser(store.defaultApp('oa', appid).appid, openid);
      return user ? oaUserView(user) : undefined;
    },
    recordInteraction: (openid, kind, appid) => oaUserView(store.recordInteraction(openid, kind, appid)),
    mintLoginCode: (input) => store.mintLoginCode(input),
    sent: (filter) => store.sent(typeof filter === 'string' ? { openid: filter } : filter),
    clearSent: () => {
      store.messages = [];
    },
    sms: (phone) => store.sms(phone),
    invalidateToken: (appid) => store.invalidateTokens(appid),
    expireToken: (appid) => store.expireTokens(appid),
    tokenGrants: (appid) => store.tokenGrants.get(appid) ?? 0,
    currentToken: (appid) => store.stableTokens.get(appid)?.token ?? store.currentToken.get(appid),
    calls: () => [...store.calls],
    qrCode: (ticket) => store.qrCodes.get(ticket),
    registerTemplate: (seed) => registerTemplate(store, seed),
    grantConsent: (openid, templateIds, appid) => grantConsent(store, openid, templateIds, appid),
    menu: (appid) => store.menus.get(store.defaultApp('oa', appid).appid),
    drafts: () => [...draftState(store).drafts.values()],
    reset: () => store.reset(),
  };
}

export interface RunningSandbox {
  /** The WECHAT_API_BASE to use, e.g. http://127.0.0.1:41234/sandbox */
  url: string;
  sandbox: Sandbox;
  close(): Promise<void>;
}

/** Run the sandbox alone on its own HTTP port (default: a free port on 127.0.0.1). */
export async function startSandbox(options: SandboxOptions & { port?: number; host?: string }): Promise<RunningSandbox> {
  const sandbox = createSandbox(options);
  const app = new Koa();
  app.use(sandbox.middleware());
  const host = options.host ?? '127.0.0.1';
  const server = app.listen(options.port ?? 0, host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}${SANDBOX_PREFIX}`,
    sandbox,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
