// Boot order: database → accounts → WeChat clients → jobs → HTTP. `stop()` reverses it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import mongoose from 'mongoose';
import type { Config } from './config.js';
import { connectDatabase, disconnectDatabase } from './db/connection.js';
import { startEmbeddedDb, withDatabase, type EmbeddedDb } from './db/embedded.js';
import { ensureIndexes } from './db/indexes.js';
import { createApp, type QiaoApp } from './http/app.js';
import { answerClientErrors } from './http/errors.js';
import { createJobRunner } from './jobs/runner.js';
import { onceJobs } from './lib/once.js';
import type { Logger } from './logger.js';
import { filesJobs } from './modules/files/files.jobs.js';
import { loadFileSigningKey } from './modules/files/signing.js';
import { ensureInitialAdmin } from './modules/identity/staff.service.js';
import { migrateDuplicateKeys } from './db/migrations/duplicate-keys.js';
import { migrateFollowDues } from './db/migrations/follow-dues.js';
import { migrateLeadSearchKeys } from './db/migrations/lead-search-keys.js';
import { migrateLegacyDepartments } from './db/migrations/legacy-departments.js';
import { migrateListFields } from './db/migrations/list-fields.js';
import { migrateSearchTerms } from './db/migrations/search-terms.js';
import { migrateWorkOrderFields } from './db/migrations/work-order-fields.js';
import { identityJobs } from './modules/identity/identity.jobs.js';
import type { MarketingDeps } from './modules/marketing/marketing.deps.js';
import { marketingJobs } from './modules/marketing/marketing.jobs.js';
import { definePoolJobs } from './modules/customers/pool.jobs.js';
import { importJobs } from './modules/imports/imports.jobs.js';
import { defineSalesReportJobs } from './modules/reports/sales-rollups.jobs.js';
import { createSmsSender } from './modules/identity/sms.js';
import { defineNotificationJobs } from './modules/notifications/notification.jobs.js';
import { defineOfficialAccountJobs, queueInitialFollowerSync } from './modules/official-account/official-account.jobs.js';
import type { ServiceDeps } from './modules/service/service.context.js';
import { defineServiceJobs } from './modules/service/service.jobs.js';
import { cacheTokenStore, createMiniProgramClient, createMongoTokenStore, createOfficialAccountClient } from './wechat/api/index.js';
import { flushMessageLog, messageLogJobs } from './wechat/oa/message-log.js';
import { oaConversationJobs } from './modules/official-account/oa-message.service.js';
import { flushConversationMessages } from './modules/official-account/oa-message.store.js';
import { flushCounters } from './modules/spread/counters.js';
import { createSandbox, QIAO_TEMPLATES, type TemplateSeed } from './wechat/sandbox/index.js';
import { createWebAuthSource } from './modules/identity/web-auth.wechat.js';

export interface RunningQiao {
  url: string;
  port: number;
  routes: QiaoApp['routes'];
  stop(): Promise<void>;
}

export async function startQiao(config: Config, logger: Logger): Promise<RunningQiao> {
  let embedded: EmbeddedDb | undefined;
  let mongoUri = config.mongoUri;
  if (!mongoUri) {
    embedded = await startEmbeddedDb({
      dataDir: path.join(config.dataDir, 'db'),
      log: (message, fields) => logger.info(fields ?? {}, message),
      warn: (message, fields) => logger.warn(fields ?? {}, message),
    });
    mongoUri = withDatabase(embedded.uri, 'qiao');
    logger.info({ dataDir: path.join(config.dataDir, 'db'), pid: embedded.pid }, 'embedded database (FerretDB) started');
  }

  try {
    await connectDatabase(mongoUri);
    await ensureIndexes(Object.values(mongoose.models), logger);
    await ensureInitialAdmin(config.adminPassword, logger);
    const departments = await migrateLegacyDepartments();
    if (departments.names.length > 0) logger.info(departments, 'free-text departments turned into departments');
    const listFields = await migrateListFields();
    if (listFields.ran) logger.info(listFields.updated, 'list fields filled in for earlier data');
    const orderFields = await migrateWorkOrderFields();
    if (orderFields.ran) logger.info(orderFields.records, 'work order request fields filled in for earlier data');
    // Once per key version: ~3 min for 100,000 requests with their customers (embedded, 2 cores).
    const search = await migrateSearchTerms(() => logger.info('building search keys of existing records'));
    if (search.rebuilt) logger.info(search.records, 'search keys built');
    const duplicateKeys = await migrateDuplicateKeys({ force: search.rebuilt });
    if (duplicateKeys.ran) logger.info(duplicateKeys.records, 'duplicate-check keys built');
    const leadSearchKeys = await migrateLeadSearchKeys({ force: search.rebuilt });
    if (leadSearchKeys.ran) logger.info(leadSearchKeys.records, 'lead and opportunity search keys built');
    const followDues = await migrateFollowDues();
    if (followDues.ran) logger.info(followDues.records, 'due follow-ups built');
    await loadFileSigningKey();

    // Listen first: in sandbox mode the WeChat API base is this server's own /sandbox.
    const server = createServer();
    answerClientErrors(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const localUrl = `http://127.0.0.1:${port}`;
    const apiBase = config.wechat.apiBase ?? `${localUrl}/sandbox`;
    const publicBaseUrl = config.publicBaseUrl ?? `http://localhost:${port}`;

    const tokenStore = createMongoTokenStore();
    // The clients read the shared token through a few-second copy (one database read per call otherwise).
    const tokens = cacheTokenStore(tokenStore);
    const oaClient = createOfficialAccountClient({ baseUrl: apiBase, ...config.wechat.oa, tokenStore: tokens, logger });
    const mpClient = createMiniProgramClient({ baseUrl: apiBase, ...config.wechat.mp, tokenStore: tokens, logger });
    const sandbox = config.wechat.sandbox
      ? createSandbox({
          apps: [
            { appid: config.wechat.oa.appid, secret: config.wechat.oa.secret, kind: 'oa' },
            { appid: config.wechat.mp.appid, secret: config.wechat.mp.secret, kind: 'mp' },
          ],
          templates: configuredTemplates(config),
        })
      : undefined;

    const jobs = createJobRunner(logger);
    defineOfficialAccountJobs(jobs, oaClient, logger);
    identityJobs(jobs);
    const service: ServiceDeps = {
      jobs,
      logger,
      notices: { templates: config.wechat.templates, mpAppid: config.wechat.mp.appid, publicBaseUrl },
      dueReminderHours: config.service.dueReminderHours,
    };
    defineNotificationJobs(jobs, { oa: oaClient, mp: mpClient, logger });
    defineServiceJobs(jobs, service);
    const files = { dataDir: config.dataDir };
    filesJobs(jobs, files);
    onceJobs(jobs);
    messageLogJobs(jobs, config.oaMessageRetentionDays);
    oaConversationJobs(jobs);
    const marketing: MarketingDeps = { jobs, wechat: oaClient, files, publicBaseUrl, logger, ...config.marketing };
    marketingJobs(jobs, marketing);
    definePoolJobs(jobs, { jobs, logger, reminderTemplateId: config.wechat.poolReminderTemplate });
    importJobs(jobs, files, logger);
    defineSalesReportJobs(jobs);
    await jobs.start();
    // With a real account, followers from before Qiao was connected are read once at first start.
    if (!config.wechat.sandbox && (await queueInitialFollowerSync(jobs, config.wechat.oa.appid))) {
      logger.info({ appid: config.wechat.oa.appid }, 'first start with this Official Account: follower sync queued');
    }

    const { app, routes } = createApp({
      config,
      logger,
      jobs,
      miniProgram: mpClient,
      webAuth: createWebAuthSource(apiBase, config.wechat.oa, { followerInfo: (openid) => oaClient.getUserInfo(openid) }),
      sms: createSmsSender(config, apiBase),
      files,
      sandbox: sandbox?.middleware(),
      service,
      publicBaseUrl,
      officialAccount: oaClient,
      spread: {
        jobs,
        logger,
        leadTemplateId: config.wechat.leadTemplate,
        jsSdk: { appid: config.wechat.oa.appid, publicBaseUrl, fetchTicket: () => oaClient.getJsapiTicket(), store: tokenStore },
        poster: { files, createQrCode: (request) => oaClient.createQrCode(request) },
      },
      marketing,
    });
    server.on('request', app.callback());
    logger.info({ url: localUrl, wechat: config.wechat.sandbox ? `sandbox at ${apiBase}` : apiBase }, 'Qiao is listening');

    return {
      url: localUrl,
      port,
      routes,
      async stop() {
        await closeServer(server);
        await flushMessageLog();
        await flushConversationMessages().catch((error: unknown) => logger.error({ err: error }, 'official account conversations not flushed'));
        await flushCounters();
        await jobs.drain();
        await disconnectDatabase();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await disconnectDatabase().catch(() => {});
    await embedded?.stop();
    throw error;
  }
}

/** The template ids the configuration names, with the keywords of the default template they replace. */
function configuredTemplates(config: Config): TemplateSeed[] {
  const { templates, staffBindingTemplate } = config.wechat;
  const ids: Record<string, string> = {
    'qiao-service-status': templates.serviceStatus,
    'qiao-service-overdue': templates.serviceOverdue,
    'qiao-warranty-expiring': templates.warranty,
    'qiao-mp-work-order': templates.mpDispatch,
    'qiao-staff-binding': staffBindingTemplate,
    'qiao-lead-new': config.wechat.leadTemplate,
    'qiao-pool-return': config.wechat.poolReminderTemplate,
  };
  return QIAO_TEMPLATES.filter((seed) => ids[seed.templateId] !== seed.templateId).map((seed) => ({
    ...seed,
    keywords: [...seed.keywords],
    templateId: ids[seed.templateId] ?? seed.templateId,
  }));
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive connections would hold close() open: end idle ones now, the rest shortly.
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 5_000).unref();
  });
}
