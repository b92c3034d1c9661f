// The FerretDB patch for update connections (server/embedded-db/patch/ferretdb-v1.24.2-qiao-update-conns.diff):
// stock v1.24.2 keeps every statement's query of an `update` command open until the command ends,
// each holding one of its 100 SQLite connections, so one bulk write of 100+ updates waits forever
// for a connection to write with — and every other client of the database with it (the endpoint's
// and the tracker's batched writes hung the whole server this way under load). The patched build
// finishes such writes, and answers update commands exactly as stock does where stock finishes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AnyBulkWriteOperation, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFerretBinary } from '../../src/db/embedded.js';
import { launchFerret, shutdownFerret, type RunningFerret } from './ferret-process.js';

const root = mkdtempSync(path.join(tmpdir(), 'qiao-update-conns-'));
const running: Partial<Record<'stock' | 'patched', RunningFerret>> = {};
const binaries = { stock: '', patched: '' };

async function start(kind: 'stock' | 'patched'): Promise<MongoClient> {
  // A pool larger than FerretDB's, as two clients (the server and the job runner) have together.
  running[kind] = await launchFerret(binaries[kind], path.join(root, kind), { maxPoolSize: 250 });
  return running[kind].client;
}

interface Counter {
  _id: string;
  n: number;
  group: number;
}

const counters = (n: number): Counter[] => Array.from({ length: n }, (_, i) => ({ _id: `c${i}`, n: 0, group: i % 3 }));
const incEach = (n: number, from = 0): AnyBulkWriteOperation<Counter>[] =>
  Array.from({ length: n }, (_, i) => ({ updateOne: { filter: { _id: `c${from + i}` }, update: { $inc: { n: 1 } } } }));

/** Resolves with the outcome, or 'unfinished' after `ms`. */
async function within<T>(ms: number, work: Promise<T>): Promise<T | 'unfinished'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'unfinished'>((resolve) => (timer = setTimeout(() => resolve('unfinished'), ms)));
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

beforeAll(() => {
  binaries.stock = ensureFerretBinary({ patched: false, log: console.log });
  binaries.patched = ensureFerretBinary({ patched: true, log: console.log });
}, 600_000);

afterAll(async () => {
  for (const kind of ['stock', 'patched'] as const) {
    const server = running[kind];
    if (server) await shutdownFerret(server, { kill: true });
  }
  rmSync(root, { recursive: true, force: true });
});

describe('FerretDB update connections patch', () => {
  it('answers a mixed update command (upserts, multi, replacements, no match) exactly as stock', async () => {
    const ops: AnyBulkWriteOperation<Counter>[] = [
      ...incEach(12),
      { updateMany: { filter: { group: 1 }, update: { $set: { tagged: true } } } },
      { updateOne: { filter: { _id: 'missing' }, update: { $set: { n: 5 } } } },
      { updateOne: { filter: { _id: 'new' }, update: { $set: { n: 7 } }, upsert: true } },
      { replaceOne: { filter: { _id: 'c3' }, replacement: { n: 100, group: -1 } } },
      { updateOne: { filter: { group: 2 }, update: { $inc: { n: 10 } } } },
    ];
    const outcome: Record<string, unknown> = {};
    for (const kind of ['stock', 'patched'] as const) {
      const client = await start(kind);
      const coll = client.db('conns').collection<Counter>('mixed');
      await coll.insertMany(counters(12));
      const result = await coll.bulkWrite(ops, { ordered: true });
      const found = await client.db('conns').collection<Counter>('mixed').findOneAndUpdate({ group: 0 }, { $inc: { n: 1000 } }, { sort: { _id: -1 }, returnDocument: 'after' });
      outcome[kind] = {
        counts: [result.matchedCount, result.modifiedCount, result.upsertedCount],
        found,
        docs: await coll.find().sort({ _id: 1 }).toArray(),
      };
      await shutdownFerret(running[kind]!, { kill: kind === 'stock' });
      delete running[kind];
    }
    expect(outcome.patched).toEqual(outcome.stock);
    expect((outcome.patched as { counts: number[] }).counts).toEqual([18, 18, 1]);
  }, 120_000);

  it('finishes a bulk write of 250 updates, and four of them at once, where stock never does', async () => {
    const stock = (await start('stock')).db('conns').collection<Counter>('bulk');
    await stock.insertMany(counters(250));
    // The stock build hangs for good (a connection that never comes): it is killed afterwards.
    expect(await within(5_000, stock.bulkWrite(incEach(250)))).toBe('unfinished');

    const patched = (await start('patched')).db('conns').collection<Counter>('bulk');
    await patched.insertMany(counters(1000));
    const one = await within(60_000, patched.bulkWrite(incEach(250)));
    expect(one === 'unfinished' ? one : one.modifiedCount).toBe(250);
    // Four writers on documents of their own (concurrent updates of one document are not atomic
    // on FerretDB, patched or not: docs/only-once.md).
    const four = await within(90_000, Promise.all([0, 250, 500, 750].map((from) => patched.bulkWrite(incEach(250, from), { ordered: false }))));
    expect(four === 'unfinished' ? four : four.map((r) => r.modifiedCount)).toEqual([250, 250, 250, 250]);
    expect(await patched.countDocuments({ n: 2 })).toBe(250);
    expect(await patched.countDocuments({ n: 1 })).toBe(750);
  }, 180_000);

  it('finishes 200 findAndModify at once (the job runner’s polls), each updating its document once', async () => {
    const patched = (running.patched?.client ?? (await start('patched'))).db('conns').collection<Counter>('polls');
    await patched.insertMany(counters(200));
    const all = await within(
      90_000,
      Promise.all(counters(200).map((doc) => patched.findOneAndUpdate({ _id: doc._id }, { $inc: { n: 1 } }, { returnDocument: 'after' }))),
    );
    expect(all === 'unfinished' ? all : all.every((doc) => doc?.n === 1)).toBe(true);
  }, 120_000);
});
