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
  const shutdown = async (signal: string, exitCode = 0) => {
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
      process.exit(exitCode);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  // Last resort: an error that escaped every request handler (an emitter without an 'error'
  // listener, a promise nobody awaited). The request paths are built not to produce these (the
  // error middleware answers every failure); this is the net under them. Logged and survived:
  // all state that matters is in the database, a request's own objects die with the request, and
  // killing the process would drop every other in-flight request and — with the embedded database
  // — the database too. Only a storm (something broken for good, e.g. a leaking loop) ends the
  // process, gracefully, with exit code 1 so a process manager starts it afresh.
  const recent: number[] = [];
  const escaped = (kind: string) => (error: unknown) => {
    logger.error({ err: error, kind }, 'unexpected error outside any request handler; still serving');
    const now = Date.now();
    recent.push(now);
    while (recent.length > 0 && recent[0]! < now - 60_000) recent.shift();
    if (recent.length > 20 && !stopping) {
      logger.fatal('more than 20 unexpected errors within a minute; shutting down');
      void shutdown('error storm', 1);
    }
  };
  process.on('unhandledRejection', escaped('unhandledRejection'));
  process.on('uncaughtException', escaped('uncaughtException'));
}

void main();
