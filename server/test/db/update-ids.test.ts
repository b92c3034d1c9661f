// The FerretDB patch for counter updates by `_id` (server/embedded-db/patch/ferretdb-v1.24.2-qiao-update-ids.diff):
// an update command made only of single-document `$inc` statements naming one document by `_id`
// (the write-behind counters' bulk writes) reads them with one query and writes them in one
// transaction instead of a query and a commit per statement. It must answer every command exactly
// as stock does — the commands it does not take (other operators, an `_id` twice, other filters,
// upserts, a failing update) go the stock way — and it must really be one transaction: the WAL
// grows by the pages written once, not once per statement.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ObjectId, type Document, type MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFerretBinary } from '../../src/db/embedded.js';
import { launchFerret, shutdownFerret, type RunningFerret } from './ferret-process.js';

const root = mkdtempSync(path.join(tmpdir(), 'qiao-update-ids-'));
const running: Partial<Record<'stock' | 'patched', RunningFerret>> = {};
const clients: Partial<Record<'stock' | 'patched', MongoClient>> = {};
const kinds = ['stock', 'patched'] as const;

beforeAll(async () => {
  const binaries = { stock: ensureFerretBinary({ patched: false }), patched: ensureFerretBinary({ patched: true }) };
  for (const kind of kinds) {
    running[kind] = await launchFerret(binaries[kind], path.join(root, kind));
    clients[kind] = running[kind].client;
  }
}, 600_000);

afterAll(async () => {
  for (const kind of kinds) {
    const server = running[kind];
    if (server) await shutdownFerret(server, { kill: true });
  }
  rmSync(root, { recursive: true, force: true });
});

/** One statement of an `update` command, as a bulk write sends it. */
interface Op {
  q: Document;
  u: Document;
  upsert?: boolean;
}

interface Outcome {
  result: unknown;
  docs: Document[];
}

/** Runs the same documents and `update` command on both builds: what each answered and left. */
async function onBoth(name: string, docs: Document[], ops: Op[], ordered = false): Promise<Record<'stock' | 'patched', Outcome>> {
  const out: Partial<Record<'stock' | 'patched', Outcome>> = {};
  for (const kind of kinds) {
    const db = clients[kind]!.db('ids');
    const coll = db.collection(name);
    await coll.insertMany(docs.map((doc) => ({ ...doc })));
    let result: unknown;
    try {
      const r = await db.command({ update: name, updates: ops, ordered });
      const errors = (r.writeErrors ?? []) as Array<{ index: number; code: number }>;
      result = { matched: r.n, modified: r.nModified, upserted: r.upserted ?? [], errors: errors.map((e) => [e.index, e.code]) };
    } catch (error) {
      result = { error: (error as { code?: number }).code ?? 'no code' };
    }
    out[kind] = { result, docs: await coll.find().sort({ _id: 1 }).toArray() };
  }
  return out as Record<'stock' | 'patched', Outcome>;
}

const counters = (n: number) => Array.from({ length: n }, (_, i) => ({ _id: `n${String(i).padStart(3, '0')}`, views: 0, shares: 0, tags: ['a'], at: new Date(0) }));
const inc = (id: string | ObjectId, by = 1): Op => ({ q: { _id: id }, u: { $inc: { views: by, shares: 2 * by } } });

describe('FerretDB updates by _id in one transaction', () => {
  it('answers bulk increments by _id, with missing documents, exactly as stock', async () => {
    const ops = [...counters(40).map((doc, i) => inc(doc._id, i)), inc('missing'), inc('n999')];
    const both = await onBoth('incs', counters(40), ops);
    expect(both.patched).toEqual(both.stock);
    expect(both.patched.result).toEqual({ matched: 40, modified: 40, upserted: [], errors: [] }); // FerretDB counts a `+ 0` as modified
    expect(both.patched.docs.find((doc) => doc._id === 'n007')).toMatchObject({ views: 7, shares: 14 });
  }, 60_000);

  it('answers increments on ObjectId ids, and other operators (the stock way), exactly as stock', async () => {
    const ids = Array.from({ length: 6 }, () => new ObjectId());
    const docs = ids.map((_id, i) => ({ _id, n: i, label: `x${i}`, list: [1] }));
    const ops: Op[] = [
      { q: { _id: ids[0] }, u: { $set: { label: 'set' }, $inc: { n: 10 } } },
      { q: { _id: ids[1] }, u: { $max: { n: 100 }, $unset: { label: '' } } },
      { q: { _id: ids[2] }, u: { $min: { n: -1 }, $push: { list: { $each: [2, 3] } } } },
      { q: { _id: ids[3] }, u: { $set: { n: 3 } } }, // no change
      { q: { _id: ids[4] }, u: { $set: { 'nested.deep': true } } },
      { q: { _id: new ObjectId() }, u: { $set: { n: 0 } } },
    ];
    const both = await onBoth('mixed', docs, ops);
    expect(both.patched).toEqual(both.stock);
    expect(both.patched.result).toEqual({ matched: 5, modified: 4, upserted: [], errors: [] });
    const incs = await onBoth('oid-incs', docs, [...ids.map((_id, i) => ({ q: { _id }, u: { $inc: { n: i } } })), { q: { _id: new ObjectId() }, u: { $inc: { n: 1 } } }]);
    expect(incs.patched).toEqual(incs.stock);
    expect(incs.patched.docs.map((doc) => doc.n)).toEqual([0, 2, 4, 6, 8, 10]);
  }, 60_000);

  it('takes the stock way for what it does not batch: an _id twice, other filters, upserts, a failing update', async () => {
    const cases: Array<[string, Op[], boolean]> = [
      ['twice', [inc('n001'), inc('n002'), inc('n001')], false],
      ['filters', [inc('n001'), { q: { _id: 'n002', views: 0 }, u: { $inc: { views: 5 } } }], false],
      ['upsert', [inc('n001'), { q: { _id: 'new' }, u: { $inc: { views: 1 } }, upsert: true }], false],
      // $inc of a string fails: stock has written the statements before it and answers the error.
      ['failing', [inc('n001'), { q: { _id: 'n002' }, u: { $inc: { tags: 1 } } }, inc('n003')], true],
      ['unsafe ids', [inc('n001'), inc('ünï'), inc('a"b')], false],
    ];
    for (const [name, ops, ordered] of cases) {
      const docs = [...counters(4), { _id: 'ünï', views: 0 }, { _id: 'a"b', views: 0 }];
      const both = await onBoth(`stock-way-${name}`, docs, ops, ordered);
      expect(both.patched, name).toEqual(both.stock);
      if (name === 'failing') {
        // FerretDB answers the whole command's error (code 14, type mismatch) after the first statement.
        expect(both.patched.result).toMatchObject({ errors: [[expect.any(Number), 14]] });
        expect(both.patched.docs.filter((doc) => doc.views === 1).map((doc) => doc._id)).toEqual(['n001']);
      }
    }
  }, 120_000);

  it('writes a bulk of 40 updates by _id as one transaction (the WAL grows once, not per statement)', async () => {
    const growth: Record<string, number> = {};
    for (const kind of kinds) {
      // A database of its own: a fresh SQLite file and WAL.
      const db = clients[kind]!.db('walcheck');
      const coll = db.collection<{ _id: string }>('c');
      await coll.insertMany(counters(40));
      const wal = path.join(root, kind, 'walcheck.sqlite-wal');
      const before = statSync(wal).size;
      // (Not more: stock hangs on a bulk write of ~100 updates, see update-conns.test.ts.)
      const result = await db.command({ update: 'c', updates: counters(40).map((doc) => inc(doc._id)), ordered: false });
      expect(result.nModified).toBe(40);
      growth[kind] = statSync(wal).size - before;
    }
    // Stock: a commit per statement, each appending its pages (≥ 40 frames of 4 KB).
    expect(growth.stock).toBeGreaterThan(40 * 4096);
    expect(growth.patched! * 5).toBeLessThan(growth.stock!);
  }, 60_000);
});
