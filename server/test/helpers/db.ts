// Each test file works in a database of its own on the real server started by global-setup.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, inject } from 'vitest';
import { connectDatabase } from '../../src/db/connection.js';
import { withDatabase } from '../../src/db/embedded.js';

/** A connection string for a fresh, uniquely named database. */
export function freshDatabaseUri(): string {
  return withDatabase(inject('mongoUri'), `qiao_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
}

/** Connect the process-wide mongoose to a fresh database for this test file; drop it afterwards. */
export function useTestDatabase(): { uri: string } {
  const state = { uri: freshDatabaseUri() };
  beforeAll(async () => {
    await connectDatabase(state.uri);
    // Build indexes now so unique constraints hold from the first test.
    await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  });
  afterAll(async () => {
    await mongoose.connection.db?.dropDatabase().catch(() => {});
    await mongoose.disconnect();
  });
  return state;
}
