import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'qiao' },
    // Never write secrets or bearer tokens into the logs.
    redact: ['req.headers.authorization', 'password', '*.password', 'token', '*.token'],
  });
}
