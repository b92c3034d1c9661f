// Qiao server entry point: `npm start` (via scripts/start.mjs) runs this.
import { ConfigError, loadConfig } from './config.js';
import { EmbeddedDbError } from './db/embedded.js';
import { createLogger } from './logger.js';
import { startQiao } from './server.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Qiao cannot start: ${error.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);

  let running;
  try {
    running = await startQiao(config, logger);
  } catch (error) {
    if (error instanceof EmbeddedDbError) {
      console.error(`Qiao cannot start: ${error.message}`);
      process.exit(1);
    }
    logger.fatal({ err: error }, 'Qiao failed to start');
    process.exit(1);
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests, draining jobs, closing the database');
    const force = setTimeout(() => {
      logger.error('shutdown took longer than 20 s; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    try {
      await running.stop();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

void main();
