// The one mongoose connection of a process. Models register on the default mongoose instance.
import mongoose from 'mongoose';

export async function connectDatabase(uri: string): Promise<typeof mongoose> {
  mongoose.set('strictQuery', true);
  // Fail fast rather than buffering queries for 10 s when the database is gone.
  mongoose.set('bufferCommands', false);
  return mongoose.connect(uri, { serverSelectionTimeoutMS: 5_000, autoIndex: true });
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

/** True when the database answers a ping within `timeoutMs`. */
export async function pingDatabase(timeoutMs = 2_000): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db || mongoose.connection.readyState !== 1) return false;
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
