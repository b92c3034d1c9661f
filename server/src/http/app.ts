// The Koa application: error mapping, WeChat endpoints, the JSON API and the web apps.
// Everything it needs is passed in, so tests build the same app main.ts builds.
import path from 'node:path';
import bodyParser from '@koa/bodyparser';
import Router from '@koa/router';
import Koa, { type Middleware } from 'koa';
import type { Config } from '../config.js';
import { repoRoot } from '../db/embedded.js';
import type { JobQueue } from '../jobs/runner.js';
import type { Logger } from '../logger.js';
import { customerRoutes } from '../modules/customers/customers.routes.js';
import { poolRoutes } from '../modules/customers/pool.routes.js';
import { filesRoutes } from '../modules/files/files.routes.js';
import type { FilesDeps } from '../modules/files/upload.service.js';
import { authRoutes } from '../modules/identity/auth.routes.js';
import type { MiniProgramSessionSource } from '../modules/identity/customer-login.service.js';
import type { SmsSender } from '../modules/identity/sms.js';
import { staffRoutes } from '../modules/identity/staff.routes.js';
import { verificationRoutes } from '../modules/identity/verification.routes.js';
import { webAuthRoutes } from '../modules/identity/web-auth.routes.js';
import { webAuthLink, type WebAuthSource } from '../modules/identity/web-auth.service.js';
import { subscriptionRoutes } from '../modules/notifications/subscription.routes.js';
import { autoReplyRoutes } from '../modules/official-account/auto-reply.routes.js';
import { followerSyncRoutes } from '../modules/official-account/follower-sync.routes.js';
import type { MenuPublisher } from '../modules/official-account/menu.service.js';
import { flushHandlerWrites, handleOfficialAccountMessage } from '../modules/official-account/message-handlers.js';
import { oaMessageRoutes } from '../modules/official-account/oa-messages.routes.js';
import type { MarketingDeps } from '../modules/marketing/marketing.deps.js';
import { marketingRoutes } from '../modules/marketing/marketing.routes.js';
import { orgRoutes } from '../modules/org/org.routes.js';
import type { ServiceDeps } from '../modules/service/service.context.js';
import { serviceRoutes } from '../modules/service/service.routes.js';
import { duplicatesRoutes } from '../modules/leads/duplicates.routes.js';
import { leadsRoutes } from '../modules/leads/leads.routes.js';
import { followRecordsRoutes } from '../modules/leads/follow-records.routes.js';
import { reportsRoutes } from '../modules/reports/reports.routes.js';
import { opportunitiesRoutes } from '../modules/leads/opportunities.routes.js';
import { importRoutes } from '../modules/imports/imports.routes.js';
import { spreadRoutes, type SpreadDeps } from '../modules/spread/spread.routes.js';
import { workbenchRoutes } from '../modules/workbench/workbench.routes.js';
import type { CustomMessage } from '../wechat/api/index.js';
import { officialAccountEndpoint } from '../wechat/oa/endpoint.js';
import { databaseGate, errorMiddleware } from './errors.js';
import { healthRoutes } from './health.js';
import { openApiDocument } from './openapi.js';
import { apiRequestShape } from './request-shape.js';
import { ApiRoutes, type RouteInfo } from './route.js';
import { webAppRoutes } from './static.js';

export interface AppDeps {
  config: Config;
  logger: Logger;
  jobs: JobQueue;
  miniProgram: MiniProgramSessionSource;
  /** Official Account web authorisation: code → openid (H5 login). */
  webAuth: WebAuthSource;
  /** Verification codes go out through it (the sandbox's SMS inbox in development and tests). */
  sms: SmsSender;
  /** Where uploaded files are kept. */
  files: FilesDeps;
  /** The WeChat sandbox, mounted at /sandbox when no real WeChat account is configured. */
  sandbox?: Middleware;
  /** Service requests and work orders: jobs (with scheduling), notification settings. */
  service: ServiceDeps;
  /** Base URL of links sent to WeChat users. */
  publicBaseUrl: string;
  /** Official Account calls made from requests: late replies (customer-service messages), menu/create. */
  officialAccount?: { sendCustomMessage(message: CustomMessage): Promise<void> } & MenuPublisher;
  /** Materials, segments, campaigns (their WeChat calls and distribution settings). */
  marketing?: MarketingDeps;
  now?: () => number;
  /** Share-path tracking, leads, posters and the JS-SDK. */
  spread: SpreadDeps;
}

export interface QiaoApp {
  app: Koa;
  routes: RouteInfo[];
}

function requestLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    await next();
    if (ctx.path === '/healthz') return;
    logger.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(performance.now() - started) }, 'request');
  };
}

export function createApp(deps: AppDeps): QiaoApp {
  const { config, logger } = deps;
  const app = new Koa({ proxy: config.env === 'production' });
  app.silent = true; // errors are logged by errorMiddleware, once.

  app.use(requestLog(logger));
  app.use(errorMiddleware(logger));
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    await next();
  });
  if (deps.sandbox) app.use(deps.sandbox);

  // /wechat/oa reads its own raw XML body; the JSON body parser is for the API only.
  const wechatRouter = new Router();
  officialAccountEndpoint(wechatRouter, {
    token: config.wechat.oa.token,
    appid: config.wechat.oa.appid,
    aesKey: config.wechat.oa.aesKey,
    logger,
    now: deps.now,
    sendCustomMessage: deps.officialAccount && ((message) => deps.officialAccount!.sendCustomMessage(message)),
    handle: (message, receivedAt) =>
      handleOfficialAccountMessage(message, {
        jobs: deps.jobs,
        selfServiceUrl: webAuthLink(deps.publicBaseUrl),
        miniProgramAppid: config.wechat.mp.appid,
        receivedAt,
      }),
    flushHandlerWrites,
  });
  app.use(wechatRouter.routes());
  app.use(wechatRouter.allowedMethods());

  const apiRouter = new Router();
  const api = new ApiRoutes(apiRouter);
  authRoutes(api, { miniProgram: deps.miniProgram });
  webAuthRoutes(api, { wechat: deps.webAuth, appid: config.wechat.oa.appid, openBase: config.wechat.openBase, publicBaseUrl: config.publicBaseUrl });
  verificationRoutes(api, { sms: deps.sms });
  staffRoutes(api, { jobs: deps.jobs, logger: deps.logger, bindingTemplateId: deps.config.wechat.staffBindingTemplate });
  orgRoutes(api);
  customerRoutes(api);
  poolRoutes(api);
  filesRoutes(api, deps.files);
  serviceRoutes(api, deps.service);
  followerSyncRoutes(api, { jobs: deps.jobs, appid: deps.config.wechat.oa.appid });
  autoReplyRoutes(api, { menu: deps.officialAccount });
  oaMessageRoutes(api, { wechat: deps.officialAccount });
  subscriptionRoutes(api, { dispatch: config.wechat.templates.mpDispatch });
  spreadRoutes(api, deps.spread);
  leadsRoutes(api);
  followRecordsRoutes(api);
  duplicatesRoutes(api);
  reportsRoutes(api);
  opportunitiesRoutes(api);
  importRoutes(api, { jobs: deps.jobs, dataDir: deps.files.dataDir });
  workbenchRoutes(api, { appid: config.wechat.oa.appid });
  if (deps.marketing) marketingRoutes(api, deps.marketing);
  // Generated from the declarations above, once, on first request.
  let openapi: object | undefined;
  apiRouter.get('/api/v1/openapi.json', (ctx) => {
    openapi ??= openApiDocument(api.declared, '0.1.0');
    ctx.body = openapi;
  });
  const apiGate = databaseGate();
  const apiBody = apiRequestShape(jsonBody);
  app.use(async (ctx, next) => (ctx.path.startsWith('/api/') ? apiGate(ctx, () => apiBody(ctx, next)) : next()));
  app.use(apiRouter.routes());
  app.use(apiRouter.allowedMethods());

  const webRouter = new Router();
  healthRoutes(webRouter);
  webAppRoutes(webRouter, [
    { prefix: '/admin', root: path.join(repoRoot, 'admin/dist'), name: '管理控制台' },
    { prefix: '/h5', root: path.join(repoRoot, 'miniprogram/dist/h5'), name: '小程序 H5 版' },
  ]);
  app.use(webRouter.routes());
  app.use(webRouter.allowedMethods());

  return { app, routes: api.declared };
}

const jsonBody = bodyParser({ enableTypes: ['json'], jsonLimit: '1mb', encoding: 'utf-8' });
