// The one mongoose connection of a process. Models register on the default mongoose instance.
import { MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import mongoose from 'mongoose';

export async function connectDatabase(uri: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  // Fail fast rather than buffering queries when the database is gone: callers get a 503 at once.
  mongoose.set('bufferCommands', false);
  return mongoose.connect(uri, {
    serverSelectionTimeoutMS: 2_500,
    // A restarted database is noticed within a second or two, not the driver's default 10 s.
    heartbeatFrequencyMS: 1_000,
    // A read cut off by a dead database fails at once (503) instead of waiting out server
    // selection for a retry; clients retry after Retry-After.
    retryReads: false,
    autoIndex: true,
  });
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

/** Whether the driver currently holds a usable connection (no network round trip). */
export const databaseConnected = (): boolean => mongoose.connection.readyState === mongoose.ConnectionStates.connected;

const UNAVAILABLE_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'PoolClearedOnNetworkError',
  'MongoPoolClosedError',
  'MongoServerClosedError',
  'MongoClientClosedError',
]);

const SOCKET_ERRORS = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

/** True for the driver's "cannot reach the database" errors (as opposed to a rejected command). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let at = error, depth = 0; at && typeof at === 'object' && depth < 4; at = (at as { cause?: unknown }).cause, depth += 1) {
    if (at instanceof MongoNetworkError || at instanceof MongoServerSelectionError || at instanceof MongoNotConnectedError || at instanceof MongoTopologyClosedError) return true;
    const name = (at as { name?: unknown }).name;
    if (typeof name === 'string' && UNAVAILABLE_ERRORS.has(name)) return true;
    // The driver sometimes lets a raw socket error through unwrapped (EPIPE: "This socket has been
    // ended by the other party" when the database died between two commands).
    const { code, stack } = at as { code?: unknown; stack?: unknown };
    if (typeof code === 'string' && SOCKET_ERRORS.has(code) && typeof stack === 'string' && /[\\/]mongodb[\\/]/.test(stack)) return true;
    // mongoose with bufferCommands off, before (re)connecting: "Cannot call `x.find()` before initial connection…"
    const message = (at as { message?: unknown }).message;
    if (name === 'MongooseError' && typeof message === 'string' && /before initial connection|Connection was force closed|Client must be connected/.test(message)) return true;
  }
  return false;
}

/** True when the database answers a ping within `timeoutMs`. */
export async function pingDatabase(timeoutMs = 2_000): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || !databaseConnected()) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      db.admin().command({ ping: 1 }).then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
