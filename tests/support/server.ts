// Boots Qiao the way `npm start` does — no WeChat credentials, so the built-in WeChat sandbox is
// mounted at /sandbox; the embedded FerretDB in a throwaway data directory (or a fresh database on
// MONGODB_URI when it is set).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadConfig } from '../../server/src/config.js';
import { withDatabase } from '../../server/src/db/embedded.js';
import { createLogger } from '../../server/src/logger.js';
import { startQiao, type RunningQiao } from '../../server/src/server.js';

export const ADMIN_PASSWORD = 'e2e-admin-pass';

export interface E2eServer {
  url: string;
  qiao: RunningQiao;
  stop(): Promise<void>;
}

export async function startE2eServer(): Promise<E2eServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'qiao-e2e-'));
  const external = process.env.MONGODB_URI;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    QIAO_DATA_DIR: dataDir,
    QIAO_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...(external ? { MONGODB_URI: withDatabase(external, `qiao_e2e_${randomUUID().slice(0, 8)}`) } : {}),
  });
  const qiao = await startQiao(config, createLogger(config.logLevel));
  return {
    url: qiao.url,
    qiao,
    async stop() {
      // On a shared MongoDB, leave nothing behind; the embedded one goes with its data directory.
      if (external) await mongoose.connection.db?.dropDatabase().catch(() => {});
      await qiao.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
