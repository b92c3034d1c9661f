// A FerretDB binary (stock or patched) run as its own process on a free port, for the tests that
// compare the patched build with stock v1.24.2.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { MongoClient, type MongoClientOptions } from 'mongodb';

export interface RunningFerret {
  child: ChildProcess;
  client: MongoClient;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function launchFerret(binary: string, dataDir: string, options: MongoClientOptions = {}): Promise<RunningFerret> {
  const port = await freePort();
  const child = spawn(binary, ['--listen-addr', `127.0.0.1:${port}`, '--data-dir', dataDir], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('READY')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`FerretDB (${binary}) exited with ${code}`)));
  });
  const client = await new MongoClient(`mongodb://127.0.0.1:${port}/`, options).connect();
  return { child, client };
}

/** Stops the process; `kill` for one that may hang (SIGKILL, the client closed without waiting). */
export async function shutdownFerret({ child, client }: RunningFerret, { kill = false } = {}): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  if (kill) {
    child.kill('SIGKILL');
    await exited;
    await client.close(true).catch(() => {});
    return;
  }
  await client.close();
  child.kill('SIGTERM');
  await exited;
}
