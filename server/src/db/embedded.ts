// The embedded database: FerretDB (SQLite backend) run as a child process.
//
// Production points MONGODB_URI at MongoDB and never reaches this module. Development and the
// test suite use it: the Go program in server/embedded-db is built once into .tools/ (the file
// name carries a hash of its sources, so an edit rebuilds it) and started on a free loopback port.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
const sourceDir = path.join(repoRoot, 'server/embedded-db');
const toolsDir = path.join(repoRoot, '.tools');

export class EmbeddedDbError extends Error {}

export interface EmbeddedDb {
  /** mongodb:// connection string without a database name, e.g. mongodb://127.0.0.1:41234/ */
  uri: string;
  port: number;
  /** Process id of the running FerretDB child (it changes when the supervisor restarts it). */
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  log?: (message: string, fields?: Record<string, unknown>) => void;
  /** Unexpected exits and failed restarts; defaults to `log`. */
  warn?: (message: string, fields?: Record<string, unknown>) => void;
}

/** Restart delays after an unexpected exit: doubling from the first, capped at the last. */
export const RESTART_BACKOFF_MS = { first: 250, max: 5_000 };

function findGo(): string | undefined {
  const candidates = [
    ...(process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'go')),
    '/usr/local/go/bin/go',
    '/usr/lib/go/bin/go',
  ];
  return candidates.find((file) => existsSync(file));
}

const FERRET_MODULE = 'github.com/FerretDB/FerretDB';
const FERRET_VERSION = 'v1.24.2';
const patchDir = path.join(sourceDir, 'patch');

/** The patch files applied to FerretDB (server/embedded-db/patch/*.diff), in a stable order. */
function patchFiles(): string[] {
  if (!existsSync(patchDir)) return [];
  return readdirSync(patchDir)
    .filter((name) => name.endsWith('.diff'))
    .sort()
    .map((name) => path.join(patchDir, name));
}

function sourceHash(patched: boolean): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(path.join(sourceDir, file)));
  if (patched) {
    for (const file of patchFiles()) hash.update(path.basename(file)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 12);
}

export interface FerretBinaryOptions {
  /** Build FerretDB with server/embedded-db/patch applied (the default), or stock v1.24.2. */
  patched?: boolean;
  log?: (message: string) => void;
}

function missingGo(): EmbeddedDbError {
  return new EmbeddedDbError(
    'The embedded database (FerretDB) is built with Go, and Go was not found on PATH.\n' +
      '  Install Go 1.22 or newer (Debian: apt-get install -y golang-go), then run the command again,\n' +
      '  or set MONGODB_URI to a MongoDB server (e.g. mongodb://127.0.0.1:27017/qiao) to skip the embedded database.',
  );
}

function run(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(file, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env, timeout: 15 * 60_000 }).toString();
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new EmbeddedDbError(`${path.basename(file)} ${args.join(' ')} failed:\n${stderr.slice(-4000)}`);
  }
}

/**
 * A writable copy of the FerretDB module with the patch applied, in .tools/ (made once per
 * patch hash). The module comes from the Go module cache (downloaded if needed).
 */
function patchedModule(go: string, hash: string, log: (message: string) => void): string {
  const target = path.join(toolsDir, `ferretdb-${FERRET_VERSION}-patched-${hash}`);
  if (existsSync(target)) return target;

  log(`patching FerretDB ${FERRET_VERSION} into ${path.relative(repoRoot, target)}`);
  const info = JSON.parse(run(go, ['mod', 'download', '-json', `${FERRET_MODULE}@${FERRET_VERSION}`], sourceDir)) as {
    Dir?: string;
    Error?: string;
  };
  if (!info.Dir) throw new EmbeddedDbError(`go mod download ${FERRET_MODULE}@${FERRET_VERSION} failed: ${info.Error ?? 'no Dir'}`);

  const partial = `${target}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  try {
    cpSync(info.Dir, partial, { recursive: true });
    makeWritable(partial); // the module cache is read-only
    for (const file of patchFiles()) {
      // The ceiling keeps git from treating the copy as part of this repository.
      run('git', ['apply', '--whitespace=nowarn', file], partial, { ...process.env, GIT_CEILING_DIRECTORIES: toolsDir });
    }
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    if (existsSync(target)) return target; // a parallel build got there first
    throw error;
  }
  return target;
}

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(file);
    else chmodSync(file, 0o644);
  }
}

/**
 * Path of the FerretDB binary, building it with the Go toolchain when it is missing.
 * The default is FerretDB with Qiao's pushdown patch; `{ patched: false }` is stock v1.24.2
 * (the differential tests compare the two).
 */
export function ensureFerretBinary(options: FerretBinaryOptions | ((message: string) => void) = {}): string {
  const { patched = true, log = () => {} } = typeof options === 'function' ? { log: options } : options;
  const hash = sourceHash(patched);
  const binary = path.join(toolsDir, patched ? `qiao-ferretdb-patched-${hash}` : `qiao-ferretdb-${hash}`);
  if (existsSync(binary)) return binary;

  const go = findGo();
  if (!go) throw missingGo();
  mkdirSync(toolsDir, { recursive: true });
  const started = Date.now();
  log(
    `building the embedded database (FerretDB ${FERRET_VERSION}${patched ? ' with server/embedded-db/patch' : ', stock'}) ` +
      `into ${path.relative(repoRoot, binary)} — first run only, about 1–2 minutes`,
  );

  // Build from a copy of server/embedded-db in .tools, whose go.mod points at the patched module:
  // no absolute path ever lands in the repository, and parallel builds do not share files.
  const buildDir = path.join(toolsDir, `ferretdb-build-${hash}.${process.pid}`);
  const partial = `${binary}.${process.pid}.partial`;
  try {
    rmSync(buildDir, { recursive: true, force: true });
    mkdirSync(buildDir, { recursive: true });
    for (const file of ['go.mod', 'go.sum', 'main.go']) cpSync(path.join(sourceDir, file), path.join(buildDir, file));
    if (patched) {
      const moduleDir = patchedModule(go, hash, log);
      run(go, ['mod', 'edit', `-replace=${FERRET_MODULE}=${moduleDir}`], buildDir);
    }
    log('compiling FerretDB (go build)');
    run(go, ['build', '-trimpath', '-o', partial, '.'], buildDir, { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: '0' });
    renameSync(partial, binary);
  } catch (error) {
    rmSync(partial, { force: true });
    if (error instanceof EmbeddedDbError) {
      throw new EmbeddedDbError(`building the embedded database failed:\n${error.message}`);
    }
    throw error;
  } finally {
    rmSync(buildDir, { recursive: true, force: true });
  }
  log(`built ${path.relative(repoRoot, binary)} in ${Math.round((Date.now() - started) / 1000)} s`);
  return binary;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function waitForReady(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => fail(new EmbeddedDbError(`FerretDB did not start within ${timeoutMs} ms\n${stderr.slice(-2000)}`)), timeoutMs);
    const onExit = (code: number | null) =>
      fail(new EmbeddedDbError(`FerretDB exited during start (code ${code})\n${stderr.slice(-2000)}`));
    function fail(error: Error) {
      clearTimeout(timer);
      child.off('exit', onExit);
      reject(error);
    }
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /READY (\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    child.once('exit', onExit);
  });
}

function spawnFerret(binary: string, port: number, dataDir: string): ChildProcess {
  // stdin stays open as a lifeline: FerretDB exits when this process dies and the pipe closes.
  const child = spawn(binary, ['--listen-addr', `127.0.0.1:${port}`, '--data-dir', path.resolve(dataDir)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // A broken lifeline pipe (the child died) must not become an unhandled 'error'.
  child.stdin?.on('error', () => {});
  child.on('error', () => {});
  return child;
}

/**
 * Start FerretDB on a free loopback port with its SQLite files in `dataDir`, and supervise it:
 * when it exits on its own it is started again on the same port and data dir (so the mongoose
 * connection simply reconnects), after a backoff that doubles up to RESTART_BACKOFF_MS.max.
 */
export async function startEmbeddedDb({ dataDir, log = () => {}, warn = log }: StartOptions): Promise<EmbeddedDb> {
  const binary = ensureFerretBinary(log);
  mkdirSync(dataDir, { recursive: true });

  let lastError: Error | undefined;
  // A free port can be taken between probing and binding; try a few.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const child = spawnFerret(binary, port, dataDir);
    try {
      await waitForReady(child, 30_000);
    } catch (error) {
      lastError = error as Error;
      child.kill('SIGKILL');
      continue;
    }
    return supervise(child, { binary, port, dataDir, log, warn });
  }
  throw lastError ?? new EmbeddedDbError('FerretDB could not be started');
}

interface Supervised {
  binary: string;
  port: number;
  dataDir: string;
  log: NonNullable<StartOptions['log']>;
  warn: NonNullable<StartOptions['warn']>;
}

function supervise(first: ChildProcess, { binary, port, dataDir, log, warn }: Supervised): EmbeddedDb {
  let current: ChildProcess | undefined = first;
  let stopping = false;
  let delay = RESTART_BACKOFF_MS.first;
  let timer: NodeJS.Timeout | undefined;

  const watch = (child: ChildProcess) => {
    child.once('exit', (code, signal) => {
      if (stopping || child !== current) return;
      current = undefined;
      warn('embedded database (FerretDB) exited unexpectedly; restarting', { pid: child.pid, code, signal, inMs: delay });
      schedule();
    });
  };

  const schedule = () => {
    timer = setTimeout(() => {
      restart().catch((error: unknown) => {
        warn('embedded database (FerretDB) restart failed; trying again', { error: String(error), inMs: delay });
        if (!stopping) schedule();
      });
    }, delay);
    delay = Math.min(delay * 2, RESTART_BACKOFF_MS.max);
  };

  const restart = async () => {
    if (stopping) return;
    const child = spawnFerret(binary, port, dataDir);
    current = child;
    try {
      await waitForReady(child, 30_000);
    } catch (error) {
      child.kill('SIGKILL');
      current = undefined;
      if (stopping) return;
      warn('embedded database (FerretDB) restart failed; trying again', { error: (error as Error).message.slice(0, 500), inMs: delay });
      schedule();
      return;
    }
    if (stopping) {
      child.kill('SIGTERM');
      return;
    }
    delay = RESTART_BACKOFF_MS.first;
    watch(child);
    log('embedded database (FerretDB) restarted', { pid: child.pid, port });
  };

  watch(first);
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    port,
    get pid() {
      return current?.pid;
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      const child = current;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(force);
    },
  };
}

/** Append a database name to a server URI ("mongodb://host:port/" + "qiao"), keeping any query. */
export function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  url.pathname = `/${dbName}`;
  return url.toString();
}
