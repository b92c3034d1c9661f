// Two people saving the same lead at the same moment would each pass the duplicate check before
// the other's lead exists. In refuse mode the check and the save run while holding a claim on each
// whole-value key of the lead (phone, email, name, company core) — a document inserted with that
// key as `_id`, the one "only once" primitive the embedded database offers — so the second save
// waits for the first and then sees it. Claims are removed afterwards; one left by a crash is
// taken over once it is older than CLAIM_STALE_MS.
import mongoose, { Schema } from 'mongoose';
import { conflict } from '../../errors.js';
import { isDuplicateKey } from '../../lib/db.js';

const claimSchema = new Schema({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false });
export const LeadDuplicateClaim = mongoose.model('LeadDuplicateClaim', claimSchema, 'lead_duplicate_claims');

const CLAIM_STALE_MS = 30_000;
const WAIT_MS = 50;
/** How long a save waits for another save of the same key before giving up. */
const MAX_WAIT_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function claim(key: string): Promise<void> {
  const deadline = Date.now() + MAX_WAIT_MS;
  for (;;) {
    try {
      await LeadDuplicateClaim.create({ _id: key, at: new Date() });
      return;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const held = await LeadDuplicateClaim.findById(key).lean<{ at: Date }>();
    // Left by a save that never finished: removed only if still that same claim.
    if (held && Date.now() - new Date(held.at).getTime() > CLAIM_STALE_MS) {
      await LeadDuplicateClaim.deleteOne({ _id: key, at: held.at });
      continue;
    }
    if (Date.now() > deadline) throw conflict('LEAD_SAVE_BUSY', '相同的线索正在由他人保存，请稍后重试');
    await sleep(WAIT_MS + Math.floor(Math.random() * WAIT_MS));
  }
}

/** Runs `work` holding claims on `keys` (taken in sorted order, so two saves never wait on each other). */
export async function withDuplicateClaims<T>(keys: string[], work: () => Promise<T>): Promise<T> {
  const held: string[] = [];
  try {
    for (const key of [...new Set(keys)].sort()) {
      await claim(`dup:${key}`);
      held.push(`dup:${key}`);
    }
    return await work();
  } finally {
    if (held.length > 0) await LeadDuplicateClaim.deleteMany({ _id: { $in: held } });
  }
}
