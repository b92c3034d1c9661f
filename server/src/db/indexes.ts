// The indexes the schemas declare, made on start. `Model.init()` creates the missing ones on a
// database written by an earlier version and leaves the rest alone; it refuses (and would stop the
// start) when an index on the same keys exists under another name or with other options (codes
// 85/86 — e.g. an index made unique later). Only then is the model's collection brought in line
// with `syncIndexes()`, which drops indexes the schema no longer declares and rebuilds the
// conflicting ones; it is not run on every start because it rebuilds whatever it considers
// different, which on a large collection takes a while.
import type { Logger } from '../logger.js';

const CONFLICT_CODES = new Set([85, 86]); // IndexOptionsConflict, IndexKeySpecsConflict

function isIndexConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' && CONFLICT_CODES.has(code);
}

/** What is used of a model here (mongoose's Model type is too generic to list models by). */
export interface IndexedModel {
  init(): Promise<unknown>;
  syncIndexes(): Promise<string[]>;
  collection: { collectionName: string };
}

export async function ensureIndexes(models: Iterable<IndexedModel>, logger: Pick<Logger, 'warn'>): Promise<void> {
  await Promise.all(
    [...models].map(async (model) => {
      try {
        await model.init();
      } catch (error) {
        if (!isIndexConflict(error)) throw error;
        const dropped = await model.syncIndexes();
        logger.warn({ collection: model.collection.collectionName, dropped, reason: String(error) }, 'indexes rebuilt to match the schema');
      }
    }),
  );
}
