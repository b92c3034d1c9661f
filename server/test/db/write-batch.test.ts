// The FerretDB patch that writes the documents of one update command together
// (server/embedded-db/patch/ferretdb-v1.24.2-qiao-write-batch.diff): stock writes every modified
// document in its own SQLite transaction; the patched build writes them with one, unless a
// statement could see a pending document. Each command below runs on stock and on the patched
// build, from the same data: the answers, the errors and the documents afterwards must be the same.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ObjectId, type AnyBulkWriteOperation, type Collection, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFerretBinary } from '../../src/db/embedded.js';
import { launchFerret, shutdownFerret, type RunningFerret } from './ferret-process.js';

const root = mkdtempSync(path.join(tmpdir(), 'qiao-write-batch-'));
const servers: Partial<Record<'stock' | 'patched', RunningFerret>> = {};

beforeAll(async () => {
  for (const kind of ['stock', 'patched'] as const) {
    const binary = ensureFerretBinary({ patched: kind === 'patched', log: console.log });
    servers[kind] = await launchFerret(binary, path.join(root, kind));
  }
}, 600_000);

afterAll(async () => {
  for (const server of Object.values(servers)) if (server) await shutdownFerret(server);
  rmSync(root, { recursive: true, force: true });
});

/** A test document: string, ObjectId or numeric `_id`. */
type Doc = Document & { _id: string | number | ObjectId };

const oid = (n: number) => new ObjectId(n.toString(16).padStart(24, '0'));

/** Documents with string, ObjectId and numeric `_id`s, a group, a counter and a unique field. */
const seed = (): Doc[] => [
  ...Array.from({ length: 30 }, (_, i) => ({ _id: `s${String(i).padStart(2, '0')}`, group: i % 3, n: 0, u: `u-s${i}` })),
  ...Array.from({ length: 10 }, (_, i) => ({ _id: oid(i + 1), group: i % 2, n: 0, u: `u-o${i}` })),
  ...Array.from({ length: 5 }, (_, i) => ({ _id: i + 1, group: 5, n: 0, u: `u-n${i}` })),
];

const inc = (_id: Doc['_id'], by = 1): AnyBulkWriteOperation<Doc> => ({ updateOne: { filter: { _id }, update: { $inc: { n: by } } } });

/** Runs `ops` as one update command on a fresh collection of each build; what each answered and holds. */
async function onBoth(name: string, ops: AnyBulkWriteOperation<Doc>[]) {
  const outcome: Record<string, unknown> = {};
  for (const kind of ['stock', 'patched'] as const) {
    const coll: Collection<Doc> = servers[kind]!.client.db('batch').collection<Doc>(name);
    await coll.insertMany(seed());
    await coll.createIndex({ u: 1 }, { unique: true });
    let answer: unknown;
    try {
      const result = await coll.bulkWrite(ops, { ordered: true });
      answer = { matched: result.matchedCount, modified: result.modifiedCount, upserted: result.upsertedIds };
    } catch (error) {
      answer = { error: (error as { code?: number }).code ?? String(error) };
    }
    outcome[kind] = { answer, docs: await coll.find().sort({ _id: 1 }).toArray() };
  }
  expect(outcome.patched).toEqual(outcome.stock);
  return outcome.patched as { answer: Record<string, unknown>; docs: Doc[] };
}

describe('FerretDB write-batch patch: one update command, written together, answers as stock', () => {
  it('updates of distinct string and ObjectId ids', async () => {
    const { answer } = await onBoth('distinct', [...Array.from({ length: 30 }, (_, i) => inc(`s${String(i).padStart(2, '0')}`)), ...Array.from({ length: 10 }, (_, i) => inc(oid(i + 1), 2))]);
    expect(answer).toMatchObject({ matched: 40, modified: 40 });
  }, 60_000);

  it('the same document twice, numeric ids, and a filter beyond _id on a pending document', async () => {
    const { docs } = await onBoth('repeated', [
      inc('s01'),
      inc('s02'),
      inc('s01', 10),
      inc(1),
      inc(2),
      inc(1, 5),
      inc(oid(3)),
      { updateOne: { filter: { _id: 's02', n: 1 }, update: { $set: { seen: true } } } },
      { updateOne: { filter: { _id: oid(3), n: { $gte: 1 } }, update: { $inc: { n: 100 } } } },
    ]);
    expect(docs.find((d) => d._id === 's01')?.n).toBe(11);
    expect(docs.find((d) => d._id === 's02')?.seen).toBe(true);
    expect(docs.find((d) => d._id === 1)?.n).toBe(6);
  }, 60_000);

  it('updateMany between single updates, and statements that read what it wrote', async () => {
    const { docs } = await onBoth('multi', [
      inc('s00'),
      { updateMany: { filter: { group: 1 }, update: { $inc: { n: 1 }, $set: { tagged: true } } } },
      inc('s01'),
      { updateOne: { filter: { tagged: true, n: 2 }, update: { $set: { second: true } } } },
      { updateMany: { filter: { n: { $gte: 1 } }, update: { $inc: { n: 1 } } } },
      { replaceOne: { filter: { _id: 's04' }, replacement: { group: 9, n: -1, u: 'u-replaced' } } },
    ]);
    expect(docs.filter((d) => d.second === true)).toHaveLength(1);
    expect(docs.find((d) => d._id === 's04')?.u).toBe('u-replaced');
  }, 60_000);

  it('upserts that update, upserts that insert, and an upsert of a pending document', async () => {
    const { answer } = await onBoth('upserts', [
      inc('s05'),
      { updateOne: { filter: { _id: 's06' }, update: { $inc: { n: 1 } }, upsert: true } },
      { updateOne: { filter: { _id: 'new-1' }, update: { $inc: { n: 1 }, $set: { u: 'u-new-1' } }, upsert: true } },
      inc('s07'),
      { updateOne: { filter: { _id: 's05' }, update: { $inc: { n: 1 } }, upsert: true } },
      { updateOne: { filter: { _id: 'new-1' }, update: { $inc: { n: 1 } }, upsert: true } },
      { updateOne: { filter: { _id: oid(99) }, update: { $set: { u: 'u-new-2' } }, upsert: true } },
    ]);
    expect(answer).toMatchObject({ matched: 5, modified: 5 });
  }, 60_000);

  it('a statement that breaks a unique index: the ones before it are written, the ones after are not', async () => {
    const { answer, docs } = await onBoth('unique', [
      { updateOne: { filter: { _id: 's10' }, update: { $set: { u: 'taken-a' } } } },
      inc('s11'),
      { updateOne: { filter: { _id: 's12' }, update: { $set: { u: 'taken-a' } } } },
      inc('s13'),
      { updateOne: { filter: { _id: 'new-3' }, update: { $set: { u: 'u-new-3' } }, upsert: true } },
    ]);
    // FerretDB answers this with an error of the whole command (code 1), the same on both builds.
    expect(answer).toHaveProperty('error');
    expect(docs.find((d) => d._id === 's10')?.u).toBe('taken-a');
    expect(docs.find((d) => d._id === 's11')?.n).toBe(1);
    expect(docs.find((d) => d._id === 's13')?.n).toBe(0);
    expect(docs.find((d) => d._id === 'new-3')).toBeUndefined();
  }, 60_000);
});
