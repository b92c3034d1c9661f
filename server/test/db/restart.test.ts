// npm start's own path: no MONGODB_URI → the server starts FerretDB in QIAO_DATA_DIR/db, and the
// data is still there after a restart. Also /healthz answers 503 once the database is gone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedDb, withDatabase } from '../../src/db/embedded.js';
import { startSandbox } from '../../src/wechat/sandbox/index.js';
import { spawnServer } from '../helpers/process.js';
import { ADMIN_PASSWORD, call, TEST_MP, TEST_OA, testEnv } from '../helpers/server.js';

const dataDir = mkdtempSync(path.join(tmpdir(), 'qiao-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('embedded database', () => {
  it('keeps data across a restart of the server', async () => {
    const sandbox = await startSandbox({ apps: [{ ...TEST_OA, kind: 'oa' }, { ...TEST_MP, kind: 'mp' }] });
    const env = { ...testEnv(sandbox.url, ''), QIAO_DATA_DIR: dataDir };
    delete (env as Record<string, string | undefined>).MONGODB_URI;

    const first = await spawnServer(env);
    expect(first.output()).toContain('embedded database (FerretDB) started');
    const token = (await call(first.url, '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).body.token;
    const created = await call(first.url, '/api/v1/oa/auto-replies', { token, body: { trigger: 'exact', keyword: '地址', reply: '上海市浦东新区' } });
    expect(created.status).toBe(201);
    expect(await first.stop()).toBe(0);

    // Started again with another admin password: the existing account is kept, not recreated.
    const second = await spawnServer({ ...env, QIAO_ADMIN_PASSWORD: 'another-password' });
    const again = await call(second.url, '/api/v1/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(again.status).toBe(200);
    const list = await call(second.url, '/api/v1/oa/auto-replies', { token: again.body.token });
    expect(list.body.items).toEqual([expect.objectContaining({ keyword: '地址', reply: '上海市浦东新区' })]);
    expect(await second.stop()).toBe(0);
    await sandbox.close();
  }, 120_000);

  it('/healthz answers 200 with the database up and 503 once it is stopped', async () => {
    const db = await startEmbeddedDb({ dataDir: path.join(dataDir, 'health') });
    const sandbox = await startSandbox({ apps: [{ ...TEST_OA, kind: 'oa' }, { ...TEST_MP, kind: 'mp' }] });
    const server = await spawnServer(testEnv(sandbox.url, withDatabase(db.uri, 'qiao_health')));
    try {
      const up = await call(server.url, '/healthz');
      expect(up).toEqual({ status: 200, body: { status: 'ok', db: 'ok' } });
      await db.stop();
      const down = await call(server.url, '/healthz');
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: 'unavailable', db: 'unreachable' });
    } finally {
      await server.stop();
      await db.stop();
      await sandbox.close();
    }
  }, 120_000);
});
