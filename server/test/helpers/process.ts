// Runs the real server entry point (src/main.ts) as a separate process, as `npm start` does.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { afterAll, beforeAll } from 'vitest';
import { connectDatabase } from '../../src/db/connection.js';
import { startSandbox } from '../../src/wechat/sandbox/index.js';
import { freshDatabaseUri } from './db.js';
import { TEST_MP, TEST_OA, testEnv } from './server.js';

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

export async function spawnServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: serverDir,
    env: { ...process.env, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.slice(-3000)}`)), timeoutMs);
    const check = () => {
      const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*Qiao is listening/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface ServerProcessFixture {
  /** The running process (undefined between a kill and `restart()`). */
  server: ServerProcess | undefined;
  /** Start the server again on the same database and sandbox, e.g. after a kill -9. */
  restart(): Promise<ServerProcess>;
}

/**
 * A real server process for this file's tests (crash tests), with a standalone WeChat sandbox and
 * a fresh database that this test process is connected to as well, to look at what was stored.
 */
export function useServerProcess(onStart: () => Promise<void> = async () => {}): ServerProcessFixture {
  let sandbox: Awaited<ReturnType<typeof startSandbox>> | undefined;
  let env: Record<string, string> = {};
  const fixture: ServerProcessFixture = {
    server: undefined,
    async restart() {
      fixture.server = await spawnServer(env);
      return fixture.server;
    },
  };
  beforeAll(async () => {
    sandbox = await startSandbox({ apps: [{ ...TEST_OA, kind: 'oa' }, { ...TEST_MP, kind: 'mp' }] });
    const uri = freshDatabaseUri();
    env = testEnv(sandbox.url, uri);
    await fixture.restart();
    await connectDatabase(uri);
    await onStart();
  }, 90_000);
  afterAll(async () => {
    await fixture.server?.stop();
    await mongoose.connection.db?.dropDatabase().catch(() => {});
    await mongoose.disconnect();
    await sandbox?.close();
  });
  return fixture;
}
