// Differential test of the FerretDB pushdown patch (server/embedded-db/patch): the patched and the
// stock v1.24.2 builds run side by side on the same documents, and every query must answer the
// same documents in the same order — before and after writes that change a field's types, and
// after a restart (the patched build re-reads its field-type profile from SQLite).
//
// Stock FerretDB sorts with an unstable sort, so ties are only compared on sets of at most 12
// documents (where Go's sort is an insertion sort and keeps the natural order, as the patch does).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Double, Int32, Long, ObjectId, type Document, type MongoClient, type Filter, type Sort } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFerretBinary } from '../../src/db/embedded.js';
import { launchFerret, shutdownFerret, type RunningFerret } from './ferret-process.js';

const root = mkdtempSync(path.join(tmpdir(), 'qiao-pushdown-'));
const binaries = { stock: '', patched: '' };
const servers: Partial<Record<'stock' | 'patched', RunningFerret>> = {};

async function start(kind: 'stock' | 'patched'): Promise<void> {
  servers[kind] = await launchFerret(binaries[kind], path.join(root, kind));
}

async function stop(kind: 'stock' | 'patched'): Promise<void> {
  const running = servers[kind];
  if (!running) return;
  delete servers[kind];
  await shutdownFerret(running);
}

const both = async <T>(fn: (client: MongoClient) => Promise<T>): Promise<{ stock: T; patched: T }> => {
  const { stock, patched } = servers;
  if (!stock || !patched) throw new Error('FerretDB is not running');
  return { stock: await fn(stock.client), patched: await fn(patched.client) };
};

const oid = (n: number) => new ObjectId(n.toString(16).padStart(24, '0'));
const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n, 8));

// Twelve documents with every shape the patch must handle or refuse: mixed numeric types, null
// vs missing, arrays beside scalars, a field that is a string here and a number there, ties.
const small: Document[] = [
  { _id: oid(1), s: 'submitted', n: 5, b: true, d: day(1), o: oid(101), t: 'x', m: 5, z: null, e: { a: 1 } },
  { _id: oid(2), s: 'a', n: new Double(5), b: false, d: day(1), o: oid(102), t: ['x', 'y'], m: '5', e: { a: 2 } },
  { _id: oid(3), s: 'a!', n: Long.fromNumber(7), b: null, d: day(2), o: null, t: 'w', m: 6 },
  { _id: oid(4), s: 'a b', n: 2.5, d: day(0), o: oid(101), t: ['z'], m: 'x', z: 1 },
  { _id: oid(5), s: '<x>&"q"', n: new Int32(-3), b: true, d: day(2), o: oid(103), t: 'y', m: 1 },
  { _id: oid(6), s: 'submitted', n: 0, b: true, d: day(1), t: [], m: null },
  { _id: oid(7), s: 'é', n: new Double(-0), b: false, d: day(3), o: oid(102), t: 'x', z: null },
  { _id: oid(8), s: 'a', n: Long.fromString('9007199254740993'), b: true, d: day(2), o: oid(104), t: ['w'], m: 5 },
  { _id: oid(9), s: 'b', n: 9007199254740992, b: false, d: day(1), o: oid(101), t: 'x', m: [5] },
  { _id: oid(10), s: 'submitted', n: 1e21, b: true, d: day(4), o: null, t: 'v', z: 'z' },
  { _id: oid(11), s: 'A', n: -1.5, b: null, d: day(1), o: oid(105), t: 'x', m: 2 },
  { _id: oid(12), s: 'submitted', n: 5, b: true, d: day(0), o: oid(101), t: 'u', m: 5 },
];

const statuses = ['submitted', 'accepted', 'in_progress', 'done'];
// Service-request-shaped documents; createdAt and amount are unique, so sorts on them have no ties.
const requests: Document[] = Array.from({ length: 300 }, (_, i) => ({
  _id: oid(1000 + i),
  status: statuses[(i * 7) % 4],
  createdAt: new Date(Date.UTC(2026, 1, 1) + i * 3_600_000),
  priority: i % 3,
  amount: ((i * 37) % 300) + 0.5,
  assignee: i % 5 === 0 ? null : oid(500 + (i % 4)),
  title: `报修 ${i}`,
  code: `SR-${String(i).padStart(4, '0')}`,
  ...(i % 11 === 0 ? { closedAt: new Date(Date.UTC(2026, 2, 1) + i) } : {}),
}));

// Filters are plain documents: some deliberately compare _id with a string.
type Query = { coll: 'small' | 'requests'; filter: Document; sort?: Sort; skip?: number; limit?: number };

const smallFilters: Document[] = [
  {}, { s: 'submitted' }, { s: 'a' }, { s: 'a!' }, { s: '<x>&"q"' }, { s: 'é' }, { s: { $gt: 'a' } },
  { s: { $gte: 'a', $lt: 'b' } }, { s: { $in: ['a', 'b', 'zz'] } }, { s: { $lte: 'A' } },
  { n: 5 }, { n: new Double(5) }, { n: Long.fromNumber(5) }, { n: 0 }, { n: -0 }, { n: { $gt: 2.5 } },
  { n: { $lte: 3 } }, { n: { $gte: Long.fromString('9007199254740993') } }, { n: 9007199254740992 },
  { n: { $in: [1, 2.5, Long.fromNumber(7)] } }, { n: { $gt: 1e20 } }, { n: '5' },
  { b: true }, { b: false }, { b: null }, { b: { $in: [true] } }, { b: { $gt: false } },
  { d: day(1) }, { d: { $gte: day(1), $lt: day(3) } }, { d: { $in: [day(0), day(4)] } },
  { o: oid(101) }, { o: null }, { o: { $in: [oid(102), oid(103)] } }, { o: { $gt: oid(102) } },
  { t: 'x' }, { t: 'w' }, { t: { $in: ['x', 'z'] } }, { t: { $gt: 'w' } }, { t: [] },
  { m: 5 }, { m: '5' }, { m: { $gt: 1 } }, { m: { $in: [5, 6] } }, { m: null },
  { z: null }, { z: { $exists: false } }, { z: { $in: [null] } }, { e: { a: 1 } }, { 'e.a': 1 },
  { $or: [{ s: 'a' }, { n: 5 }] }, { s: { $ne: 'a' } }, { s: { $regex: '^a' } }, { s: /^A/i },
  { s: 'submitted', b: true }, { s: 'submitted', n: { $gte: 5 }, d: { $lt: day(4) } }, { s: 'submitted', t: 'x' },
  { _id: oid(3) }, { _id: { $in: [oid(1), oid(12), oid(99)] } }, { _id: { $gt: oid(6) } }, { _id: '3' },
];

const smallSorts: (Sort | undefined)[] = [
  undefined, { d: -1 }, { d: 1 }, { s: 1, d: -1 }, { n: -1 }, { n: 1 }, { b: 1 }, { b: -1 }, { o: 1 },
  { z: 1 }, { t: 1 }, { m: -1 }, { _id: -1 }, { s: -1, _id: 1 },
];

const requestQueries: Query[] = [
  ...statuses.flatMap((status): Query[] => [
    { coll: 'requests', filter: { status }, sort: { createdAt: -1 }, limit: 20 },
    { coll: 'requests', filter: { status }, sort: { createdAt: -1 }, skip: 40, limit: 20 },
    { coll: 'requests', filter: { status }, sort: { createdAt: 1 }, skip: 5 },
    { coll: 'requests', filter: { status, priority: 1 }, sort: { amount: -1 }, limit: 7 },
  ]),
  { coll: 'requests', filter: {}, sort: { status: 1, createdAt: -1 }, skip: 100, limit: 30 },
  { coll: 'requests', filter: {}, skip: 290 },
  { coll: 'requests', filter: {}, limit: 3 },
  { coll: 'requests', filter: { status: { $in: ['done', 'accepted'] } }, sort: { _id: -1 }, limit: 15 },
  { coll: 'requests', filter: { _id: { $in: requests.slice(0, 50).map((r) => r._id as ObjectId) } } },
  { coll: 'requests', filter: { assignee: null }, sort: { createdAt: -1 }, limit: 10 },
  { coll: 'requests', filter: { assignee: oid(501) }, sort: { amount: 1 }, limit: 10 },
  { coll: 'requests', filter: { closedAt: { $exists: true } }, sort: { createdAt: -1 } },
  { coll: 'requests', filter: { createdAt: { $gte: new Date(Date.UTC(2026, 1, 5)), $lt: new Date(Date.UTC(2026, 1, 9)) } }, sort: { createdAt: 1 } },
  { coll: 'requests', filter: { amount: { $gt: 100, $lte: 120 } }, sort: { amount: -1 } },
  { coll: 'requests', filter: { code: 'SR-0042' } },
  { coll: 'requests', filter: { code: { $in: ['SR-0001', 'SR-0299', 'SR-9999'] } }, sort: { createdAt: -1 } },
  { coll: 'requests', filter: { code: { $gte: 'SR-0290' } }, sort: { code: -1 }, limit: 5 },
  { coll: 'requests', filter: { title: '报修 7' } },
];

function corpus(): Query[] {
  const queries: Query[] = [];
  for (const filter of smallFilters) {
    queries.push({ coll: 'small', filter });
    queries.push({ coll: 'small', filter, sort: { d: -1 }, skip: 1, limit: 3 });
  }
  for (const sort of smallSorts) {
    queries.push({ coll: 'small', filter: {}, sort });
    queries.push({ coll: 'small', filter: {}, sort, skip: 2, limit: 5 });
    queries.push({ coll: 'small', filter: { s: { $in: ['submitted', 'a'] } }, sort, limit: 4 });
  }
  return [...queries, ...requestQueries];
}

async function answer(client: MongoClient, q: Query) {
  const coll = client.db('pushdown').collection(q.coll);
  const filter: Filter<Document> = q.filter;
  const docs = await coll.find(filter, { sort: q.sort, skip: q.skip, limit: q.limit }).toArray();
  const count = await coll.countDocuments(filter, { skip: q.skip, limit: q.limit });
  const countCommand = await client.db('pushdown').command({ count: q.coll, query: q.filter, skip: q.skip ?? 0, limit: q.limit ?? 0 });
  return { docs, count, n: countCommand.n as number };
}

/** Runs the corpus on both builds; returns how many queries found documents (to show it is not vacuous). */
async function compareCorpus(): Promise<number> {
  let nonEmpty = 0;
  for (const q of corpus()) {
    const { stock, patched } = await both((client) => answer(client, q));
    expect(patched, JSON.stringify(q)).toEqual(stock);
    if (stock.docs.length > 0) nonEmpty += 1;
  }
  return nonEmpty;
}

async function plan(find: { filter: Filter<Document>; sort?: Sort; limit?: number }): Promise<Document> {
  const client = servers.patched?.client;
  if (!client) throw new Error('patched FerretDB is not running');
  const cursor = client.db('pushdown').collection('requests').find(find.filter, { sort: find.sort, limit: find.limit });
  return cursor.explain();
}

beforeAll(async () => {
  binaries.stock = ensureFerretBinary({ patched: false, log: console.log });
  binaries.patched = ensureFerretBinary({ patched: true, log: console.log });
  await Promise.all([start('stock'), start('patched')]);
  await both(async (client) => {
    const db = client.db('pushdown');
    await db.collection('requests').createIndex({ status: 1, createdAt: -1 });
    await db.collection('requests').createIndex({ assignee: 1 });
    await db.collection('requests').createIndex({ code: 1 }, { unique: true });
    await db.collection('small').insertMany(small.map((doc) => ({ ...doc })));
    for (let i = 0; i < requests.length; i += 100) {
      await db.collection('requests').insertMany(requests.slice(i, i + 100).map((doc) => ({ ...doc })));
    }
  });
}, 180_000);

afterAll(async () => {
  await Promise.all([stop('stock'), stop('patched')]);
  rmSync(root, { recursive: true, force: true });
});

describe('FerretDB pushdown patch', () => {
  it('answers the query corpus exactly as stock FerretDB', async () => {
    expect(await compareCorpus()).toBeGreaterThan(100);
  }, 90_000);

  it('uses the indexes for the queries the app sends', async () => {
    const page = await plan({ filter: { status: 'submitted' }, sort: { createdAt: -1 }, limit: 20 });
    expect(JSON.stringify(page.queryPlanner)).toMatch(/USING INDEX requests_\w+_status_1_createdAt_-1/);
    expect(JSON.stringify(page.queryPlanner)).not.toMatch(/TEMP B-TREE/);
    expect(page).toMatchObject({ filterPushdown: true, sortPushdown: true, limitPushdown: true });

    const byId = await plan({ filter: { _id: oid(1003) }, limit: 1 });
    expect(JSON.stringify(byId.queryPlanner)).toMatch(/USING INDEX requests_\w+__id_/);
    const byAssignee = await plan({ filter: { assignee: oid(501) } });
    expect(JSON.stringify(byAssignee.queryPlanner)).toMatch(/USING INDEX requests_\w+_assignee_1/);
    const byCode = await plan({ filter: { code: 'SR-0042' }, limit: 1 });
    expect(JSON.stringify(byCode.queryPlanner)).toMatch(/USING INDEX requests_\w+_code_1/);

    // The stock build scans for the same page.
    const stockPlan = await servers.stock?.client
      .db('pushdown')
      .collection('requests')
      .find({ status: 'submitted' }, { sort: { createdAt: -1 }, limit: 20 })
      .explain();
    expect(JSON.stringify(stockPlan?.queryPlanner)).toMatch(/SCAN/);
  });

  it('stays exact after updates and deletes, including ones that change a field type', async () => {
    await both(async (client) => {
      const db = client.db('pushdown');
      await db.collection('requests').updateMany({ status: 'accepted', priority: 2 }, { $set: { status: 'done' } });
      await db.collection('requests').deleteMany({ priority: 0, status: 'in_progress' });
      await db.collection('small').updateOne({ _id: oid(3) }, { $set: { b: true, n: new Double(5) } });
      await db.collection('small').deleteOne({ _id: oid(5) });
      // From now on `s` and `status` may hold arrays, and `d` a string: those fall back to the Go filter.
      await db.collection('small').insertOne({ _id: oid(13), s: ['submitted', 'z'], n: 5, d: 'not a date', t: 'x' });
      await db.collection('requests').insertOne({ _id: oid(5000), status: ['submitted'], createdAt: new Date(Date.UTC(2026, 5, 1)) });
    });
    expect(await compareCorpus()).toBeGreaterThan(100);
  }, 90_000);

  it('stays exact after a restart (field types are read back from the data)', async () => {
    await Promise.all([stop('stock'), stop('patched')]);
    await Promise.all([start('stock'), start('patched')]);
    expect(await compareCorpus()).toBeGreaterThan(100);
  }, 90_000);

  it('re-creates the indexes stock FerretDB made, so that queries use them', async () => {
    const dataDir = path.join(root, 'upgrade');
    const stock = await launchFerret(binaries.stock, dataDir);
    const made = stock.client.db('pushdown').collection('requests');
    await made.createIndex({ status: 1, createdAt: -1 });
    await made.insertMany(requests.slice(0, 40).map((doc) => ({ ...doc })));
    const expected = await made.find({ status: 'done' }, { sort: { createdAt: -1 }, limit: 5 }).toArray();
    await shutdownFerret(stock);

    const patched = await launchFerret(binaries.patched, dataDir);
    try {
      const coll = patched.client.db('pushdown').collection('requests');
      const explained = await coll.find({ status: 'done' }, { sort: { createdAt: -1 }, limit: 5 }).explain();
      expect(JSON.stringify(explained.queryPlanner)).toMatch(/USING INDEX requests_\w+_status_1_createdAt_-1/);
      expect(expected).toHaveLength(5);
      expect(await coll.find({ status: 'done' }, { sort: { createdAt: -1 }, limit: 5 }).toArray()).toEqual(expected);
    } finally {
      await shutdownFerret(patched);
    }
  }, 60_000);
});
