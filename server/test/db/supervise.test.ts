// The embedded database is supervised: FerretDB killed under a running server (kill -9) is started
// again on the same port and data dir; meanwhile the API answers 503 DB_UNAVAILABLE at once, and
// afterwards everything works again without restarting Qiao, with no data lost.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../src/wechat/sandbox/index.js';
import { spawnServer } from '../helpers/process.js';
import { ADMIN_PASSWORD, call, TEST_MP, TEST_OA, testEnv } from '../helpers/server.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'qiao-supervise-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Pids of FerretDB as the server logged them: at start and after each restart. */
const ferretPids = (output: string) =>
  [...output.matchAll(/"pid":(\d+)[^\n]*"msg":"embedded database \(FerretDB\) (?:started|restarted)"/g)].map((match) => Number(match[1]));

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await run();
  return { ms: performance.now() - started, result };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('embedded database supervision', () => {
  it('restarts FerretDB after kill -9; 503 DB_UNAVAILABLE at once while it is down; no data lost', async () => {
    const sandbox = await startSandbox({ apps: [{ ...TEST_OA, kind: 'oa' }, { ...TEST_MP, kind: 'mp' }] });
    const env = { ...testEnv(sandbox.url, ''), QIAO_DATA_DIR: dataDir };
    delete (env as Record<string, string | undefined>).MONGODB_URI;
    const server = await spawnServer(env);
    try {
      const token = (await call(server.url, '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).body.token;
      const created = await call(server.url, '/api/v1/oa/auto-replies', { token, body: { trigger: 'exact', keyword: '电话', reply: '400-800-8888' } });
      expect(created.status).toBe(201);

      const [firstPid] = ferretPids(server.output());
      expect(firstPid).toBeGreaterThan(0);
      process.kill(firstPid!, 'SIGKILL');

      // While it is down: reads, writes and /healthz, all at once, answer 503 at once (not after a
      // driver timeout, never 500).
      const unavailable = { status: 503, body: { error: { code: 'DB_UNAVAILABLE', message: '数据库暂时不可用，请稍后重试' } } };
      const failures = () => server.output().split('\n').filter((line) => line.includes('request failed')).join('\n').slice(0, 3000);
      const [health, ...answers] = await Promise.all([
        timed(() => call(server.url, '/healthz')),
        ...Array.from({ length: 4 }, () => timed(() => call(server.url, '/api/v1/oa/auto-replies', { token }))),
        ...Array.from({ length: 4 }, (_, i) => timed(() => call(server.url, '/api/v1/oa/auto-replies', { token, body: { trigger: 'exact', keyword: `宕机${i}`, reply: '不应保存' } }))),
      ]);
      for (const answer of answers) {
        expect(answer.result, failures()).toEqual(unavailable);
        expect(answer.ms).toBeLessThan(1_000);
      }
      expect(health!.result.status).toBe(503);
      expect(health!.ms).toBeLessThan(2_500);

      // Recovery without restarting Qiao: /healthz is 200 again, FerretDB has a new pid.
      const deadline = Date.now() + 20_000;
      let healthz = 0;
      while (Date.now() < deadline) {
        const response = await call(server.url, '/healthz');
        healthz = response.status;
        if (healthz === 200) break;
        // Every answer meanwhile is a quick 503, never a 500.
        expect(response.status).toBe(503);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(healthz).toBe(200);
      expect(server.child.exitCode).toBeNull();
      expect(server.output().match(/Qiao is listening/g)).toHaveLength(1);
      expect(server.output()).toContain('exited unexpectedly; restarting');
      // The outage reached no last-resort handler: every failure was answered by a request path.
      expect(server.output()).not.toContain('outside any request handler');
      const pids = ferretPids(server.output());
      expect(pids).toHaveLength(2);
      expect(pids[1]).not.toBe(firstPid);
      expect(alive(pids[1]!)).toBe(true);

      // The data written before the crash is still there, and writing works again.
      const list = await call(server.url, '/api/v1/oa/auto-replies', { token });
      expect(list.status).toBe(200);
      // Exactly what was there: nothing lost, and nothing from the writes that were answered 503.
      expect(list.body.items).toEqual([expect.objectContaining({ keyword: '电话', reply: '400-800-8888' })]);
      const again = await call(server.url, '/api/v1/oa/auto-replies', { token, body: { trigger: 'exact', keyword: '地址', reply: '上海' } });
      expect(again.status).toBe(201);

      // A shutdown is not a crash: FerretDB is stopped with the server and not started again.
      expect(await server.stop()).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(alive(pids[1]!)).toBe(false);
      expect(ferretPids(server.output())).toHaveLength(2);
    } finally {
      await server.stop();
      await sandbox.close();
    }
  }, 120_000);
});
