// The FerretDB patch for updates by `_id` (server/embedded-db/patch/ferretdb-v1.24.2-qiao-update-ids.diff):
// an update command made only of single-document update-operator statements naming one document
// by `_id` each (the write-behind counters' bulk writes, the users' last interaction times) reads
// them with one query and writes them in one transaction, which takes SQLite's write lock before
// the read. It must answer every command exactly as stock does — the commands it does not take (an
// `_id` twice, other filters, upserts, a failing update) go the stock way —, it must really be one
// transaction (the WAL grows by the pages written once, not once per statement), and no other
// client's write may come between a document's read and its write (stock's may: its read is
// outside the transaction).
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

  it('answers increments on ObjectId ids, and other operators, exactly as stock', async () => {
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

  it('answers upserts and filters on more than _id exactly as stock, and takes the stock way for an _id twice, a duplicate upsert, a failing update', async () => {
    const conversation = (id: string): Op => ({
      q: { _id: id },
      u: { $set: { lastText: 'hi' }, $max: { at: new Date(5) }, $inc: { views: 1 }, $setOnInsert: { seen: 0, tags: [] } },
      upsert: true,
    });
    const cases: Array<[string, Op[], boolean]> = [
      ['twice', [inc('n001'), inc('n002'), inc('n001')], false],
      ['filters', [inc('n001'), { q: { _id: 'n002', views: 0 }, u: { $inc: { views: 5 } } }, { q: { _id: 'n003', views: 7 }, u: { $inc: { views: 5 } } }], false],
      ['upsert', [inc('n001'), { q: { _id: 'new' }, u: { $inc: { views: 1 } }, upsert: true }], false],
      ['upserts', [conversation('n000'), conversation('fresh-1'), conversation('n002'), conversation('fresh-2')], false],
      // The document exists but the rest of the filter does not match: the upsert's insert is a duplicate.
      ['duplicate upsert', [inc('n001'), { q: { _id: 'n002', views: 9 }, u: { $inc: { views: 1 } }, upsert: true }, inc('n003')], false],
      // $inc of a string fails: stock has written the statements before it and answers the error.
      ['failing', [inc('n001'), { q: { _id: 'n002' }, u: { $inc: { tags: 1 } } }, inc('n003')], true],
      ['unsafe ids', [inc('n001'), inc('ünï'), inc('a"b')], false],
    ];
    for (const [name, ops, ordered] of cases) {
      const docs = [...counters(4), { _id: 'ünï', views: 0 }, { _id: 'a"b', views: 0 }];
      const both = await onBoth(`stock-way-${name.replaceAll(' ', '-')}`, docs, ops, ordered);
      expect(both.patched, name).toEqual(both.stock);
      if (name === 'upserts') {
        expect(both.patched.result).toMatchObject({ matched: 4, modified: 2, upserted: [expect.objectContaining({ _id: 'fresh-1' }), expect.objectContaining({ _id: 'fresh-2' })] });
        expect(both.patched.docs.find((doc) => doc._id === 'fresh-2')).toMatchObject({ views: 1, seen: 0, lastText: 'hi' });
      }
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

  it('reads a bulk of 1,200 documents by _id in parts (SQLite bounds a statement\'s parameters)', async () => {
    // Stock hangs on a bulk this size (update-conns.test.ts): checked against the expected documents.
    const db = clients.patched!.db('bigwal');
    const coll = db.collection<{ _id: string; views: number; shares: number }>('big');
    const docs = Array.from({ length: 1_200 }, (_, i) => ({ _id: `b${String(i).padStart(5, '0')}`, views: 0, shares: 0 }));
    await coll.insertMany(docs);
    const wal = path.join(root, 'patched', 'bigwal.sqlite-wal');
    const before = statSync(wal).size;
    const result = await db.command({ update: 'big', updates: docs.map((doc, i) => inc(doc._id, i + 1)), ordered: false });
    expect([result.n, result.nModified]).toEqual([1_200, 1_200]);
    // One transaction (a statement per document would append at least a 4 KB frame each).
    expect(statSync(wal).size - before).toBeLessThan((1_200 * 4096) / 5);
    const stored = await coll.find().sort({ _id: 1 }).toArray();
    expect(stored.map((doc) => doc.views)).toEqual(docs.map((_, i) => i + 1));
  }, 120_000);

  it('loses no write of another client that comes between its read and its write', async () => {
    // Four clients increment the same 30 documents at once, each in bulks by `_id`, while a fifth
    // sets a field on them one at a time by `_id`: every increment and every field is there at the end.
    const db = clients.patched!.db('ids');
    const coll = db.collection<{ _id: string; views: number; shares: number; mark?: number }>('racing');
    const docs = counters(30);
    await coll.insertMany(docs);
    const rounds = 15;
    const bulk = async () => {
      for (let round = 0; round < rounds; round += 1) {
        const result = await db.command({ update: 'racing', updates: docs.map((doc) => inc(doc._id)), ordered: false });
        expect(result.nModified).toBe(docs.length);
      }
    };
    const marks = async () => {
      for (const [i, doc] of docs.entries()) await coll.updateOne({ _id: doc._id }, { $set: { mark: i } });
    };
    await Promise.all([bulk(), bulk(), bulk(), bulk(), marks()]);
    const stored = await coll.find().sort({ _id: 1 }).toArray();
    expect(stored.map((doc) => [doc.views, doc.shares, doc.mark])).toEqual(docs.map((_, i) => [4 * rounds, 8 * rounds, i]));
  }, 120_000);

  it('makes a conditional update by _id a compare-and-set: of 20 at once, one wins', async () => {
    const db = clients.patched!.db('ids');
    const coll = db.collection<{ _id: string; usedBy: number | null }>('codes');
    for (let round = 0; round < 5; round += 1) {
      const _id = `code-${round}`;
      await coll.insertOne({ _id, usedBy: null });
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => coll.updateOne({ _id, usedBy: null }, { $set: { usedBy: i } })));
      const winners = results.flatMap((result, i) => (result.modifiedCount === 1 ? [i] : []));
      expect(winners).toHaveLength(1);
      expect((await coll.findOne({ _id }))!.usedBy).toBe(winners[0]);
    }
  }, 120_000);
});
