// Indexes: a database written by an earlier version (documents, fewer indexes, one with other
// options) gets every index the schemas declare when the real server starts on it (Model.init()
// in server.ts), agenda's poll index included; and list filters stay flat (top-level keys).
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flatFilter } from '../../src/lib/query.js';
// Registers every model (no connection: this process must not build indexes itself).
import '../../src/server.js';
import { startSandbox } from '../../src/wechat/sandbox/index.js';
import { freshDatabaseUri } from '../helpers/db.js';
import { spawnServer, type ServerProcess } from '../helpers/process.js';
import { TEST_MP, TEST_OA, testEnv } from '../helpers/server.js';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let server: ServerProcess | undefined;
let client: MongoClient | undefined;

const db = () => client!.db();
const keyOf = (key: Record<string, unknown>) => JSON.stringify(Object.entries(key).map(([field, order]) => [field, Number(order)]));

beforeAll(async () => {
  sandbox = await startSandbox({ apps: [{ ...TEST_OA, kind: 'oa' }, { ...TEST_MP, kind: 'mp' }] });
  const uri = freshDatabaseUri();
  client = await MongoClient.connect(uri);
  // What an earlier version left: documents, and only the indexes it declared then.
  const now = new Date();
  await db().collection('feedbacks').insertOne({ number: 'FW20260101-0001', clientRequestId: 'old-1', wechatUserId: 'u1', customerId: 'c1', contactId: 'k1', type: 'repair', status: 'submitted', description: '旧数据', contactPhone: '13800000000', department: '', createdAt: now, updatedAt: now });
  await db().collection('feedbacks').createIndex({ number: 1 }, { unique: true, name: 'number_1' });
  await db().collection('feedbacks').createIndex({ wechatUserId: 1 }, { name: 'wechatUserId_1' });
  await db().collection('customers').insertOne({ code: 'C0001', name: '旧客户', region: '杭州', department: '', createdAt: now, updatedAt: now });
  await db().collection('customers').createIndex({ code: 1 }, { unique: true, name: 'code_1' });
  // An index on the same keys under another name (an earlier version's, or made by hand).
  await db().collection('work_orders').createIndex({ assigneeId: 1 }, { name: 'assignee_by_old_name' });
  await db().collection('jobs').insertOne({ name: 'old-job', type: 'normal', nextRunAt: null, lockedAt: null, data: {}, priority: 0 });
  server = await spawnServer(testEnv(sandbox.url, uri));
}, 120_000);

afterAll(async () => {
  const code = await server?.stop();
  await client?.db().dropDatabase().catch(() => {});
  await client?.close();
  await sandbox?.close();
  expect(code).toBe(0);
});

describe('indexes on a database from an earlier version', () => {
  it('every index a schema declares exists after start', async () => {
    const missing: string[] = [];
    let declared = 0;
    for (const model of Object.values(mongoose.models)) {
      const existing = new Set((await db().collection(model.collection.collectionName).indexes()).map((index) => keyOf(index.key)));
      for (const [key] of model.schema.indexes()) {
        declared += 1;
        if (!existing.has(keyOf(key))) missing.push(`${model.collection.collectionName} ${keyOf(key)}`);
      }
    }
    expect(declared).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });

  it('the service request list indexes are there, and the old data is untouched', async () => {
    const keys = (await db().collection('feedbacks').indexes()).map((index) => keyOf(index.key));
    expect(keys).toContain(keyOf({ department: 1, status: 1, createdAt: -1 }));
    expect(keys).toContain(keyOf({ wechatUserId: 1, createdAt: -1 }));
    expect(await db().collection('feedbacks').countDocuments({})).toBe(1);
  });

  it("agenda's poll query has its index on jobs (name, then its sort)", async () => {
    const keys = (await db().collection('jobs').indexes()).map((index) => keyOf(index.key));
    expect(keys).toContain(keyOf({ name: 1, nextRunAt: 1, priority: -1 }));
  });
});

describe('flat filters', () => {
  it('merges conditions into top-level keys; only what cannot merge goes to $and', () => {
    const from = new Date('2026-01-01T00:00:00Z');
    const to = new Date('2026-02-01T00:00:00Z');
    expect(flatFilter({ department: 'd1' }, { status: 'submitted' }, { createdAt: { $gte: from } }, { createdAt: { $lt: to } })).toEqual({
      department: 'd1',
      status: 'submitted',
      createdAt: { $gte: from, $lt: to },
    });
    // An equality and an operator on one field: the equality stays on top.
    expect(flatFilter({ status: 'dispatched' }, { status: { $ne: 'completed' } })).toEqual({ status: 'dispatched', $and: [{ status: { $ne: 'completed' } }] });
    expect(flatFilter({ status: { $ne: 'completed' } }, { status: 'dispatched' })).toEqual({ status: 'dispatched', $and: [{ status: { $ne: 'completed' } }] });
    // The same operator twice and two $or: both kept.
    expect(flatFilter({ createdAt: { $lt: to } }, { createdAt: { $lt: from } })).toEqual({ createdAt: { $lt: to }, $and: [{ createdAt: { $lt: from } }] });
    expect(flatFilter({ $or: [{ a: 1 }] }, { $or: [{ b: 1 }] })).toEqual({ $or: [{ a: 1 }], $and: [{ $or: [{ b: 1 }] }] });
    expect(flatFilter({}, {})).toEqual({});
  });
});
