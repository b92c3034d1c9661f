// The `settings` collection, the one place that reads it: server-held random keys (file-link
// signing, share tokens), created once for all processes (_id = the key's name, inserted only if
// absent) so every process signs and derives alike and a restart keeps links valid; and counters.
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { isDuplicateKey } from './db.js';

/** The 32-byte key named `id`, created on first use by whichever process comes first. */
export async function storedSecret(id: string): Promise<Buffer> {
  const settings = mongoose.connection.collection<{ _id: string; value?: string }>('settings');
  try {
    await settings.updateOne({ _id: id }, { $setOnInsert: { value: randomBytes(32).toString('base64url') } }, { upsert: true });
  } catch (error) {
    // Two processes inserting at the same moment: the other one's key stands.
    if (!isDuplicateKey(error)) throw error;
  }
  const stored = await settings.findOne({ _id: id });
  if (!stored?.value) throw new Error(`${id} missing from settings`);
  return Buffer.from(stored.value, 'base64url');
}

/**
 * The next number of the counter `id` (1, 2, …). Not a compare-and-set across processes on the
 * embedded database (findAndModify is not atomic there): callers that need uniqueness must let a
 * unique index decide.
 */
export async function nextSequence(id: string): Promise<number> {
  const settings = mongoose.connection.collection<{ _id: string; seq?: number }>('settings');
  const counter = await settings.findOneAndUpdate({ _id: id }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' });
  return counter?.seq ?? 1;
}

/**
 * An admin-edited setting (撞单规则, 公海规则 …) stored as `value` under `_id = id`, parsed with its
 * zod schema; `fallback` when never saved or no longer valid (a schema that grew a field).
 */
export async function readSetting<T>(id: string, schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, fallback: T): Promise<T> {
  const settings = mongoose.connection.collection<{ _id: string; value?: unknown }>('settings');
  const stored = await settings.findOne({ _id: id });
  if (stored?.value === undefined) return fallback;
  const parsed = schema.safeParse(stored.value);
  return parsed.success ? parsed.data : fallback;
}

/** Saves an admin-edited setting (already validated by the route), with who saved it and when. */
export async function writeSetting(id: string, value: unknown, updatedBy: string, now = new Date()): Promise<void> {
  const settings = mongoose.connection.collection<{ _id: string; value?: unknown; updatedBy?: string; updatedAt?: Date }>('settings');
  await settings.updateOne({ _id: id }, { $set: { value, updatedBy, updatedAt: now } }, { upsert: true });
}
