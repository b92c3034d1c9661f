// Starts the real database once for the whole server test run: FerretDB through the same module
// the server uses, or the MongoDB named by MONGODB_URI. Each test file then uses its own database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedDb } from '../src/db/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.MONGODB_URI) {
    project.provide('mongoUri', process.env.MONGODB_URI);
    return;
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'qiao-test-db-'));
  const db = await startEmbeddedDb({ dataDir, log: (message) => console.log(`[db] ${message}`) });
  project.provide('mongoUri', db.uri);
  return async () => {
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
