// The pool clock (客户公海): a follow-up record or a deal restarts it, so an owned customer that is
// being worked does not return to the pool. Called by the sales modules (follow-ups, opportunities).
//
// The clock is kept in its own documents (pool-clock.model.ts), never written into the customer:
// a follow-up racing a claim or transfer of the same customer must lose neither. A reminder sent
// before the latest follow-up or deal no longer counts (`reminderStands`), so a follow-up clears
// it without writing the customer either.
import { isDuplicateKey, isObjectIdString } from '../../lib/db.js';
import type { CustomerDoc } from './customer.model.js';
import { PoolClockRecord } from './pool-clock.model.js';

type ClockKind = 'follow-up' | 'deal';
const keyOf = (customerId: string, kind: ClockKind) => `${customerId}:${kind}`;

async function advance(customerId: string, kind: ClockKind, at: Date): Promise<void> {
  if (!isObjectIdString(customerId)) return;
  const write = () => PoolClockRecord.updateOne({ _id: keyOf(customerId, kind) }, { $max: { at }, $setOnInsert: { customerId } }, { upsert: true });
  try {
    await write();
  } catch (error) {
    // Two first upserts at once: one inserted, the other now updates.
    if (!isDuplicateKey(error)) throw error;
    await write();
  }
}

/** A follow-up (跟进记录) on the customer at `at`: the clock restarts and a sent reminder no longer counts. */
export async function noteCustomerFollowUp(customerId: string, at: Date): Promise<void> {
  await advance(customerId, 'follow-up', at);
}

/** A deal won (成交) with the customer at `at`: the clock restarts; won customers are exempt from the return. */
export async function noteCustomerDeal(customerId: string, at: Date): Promise<void> {
  await advance(customerId, 'deal', at);
}

type Clocked = Pick<CustomerDoc, '_id' | 'lastFollowUpAt' | 'lastDealAt'>;
const later = (a: Date | null | undefined, b: Date | null | undefined): Date | null => (a && (!b || a.getTime() > b.getTime()) ? a : (b ?? null));

/** The customers with their clocks: the later of the clock documents and what older data keeps on the customer. */
export async function withPoolClocks<T extends Clocked>(docs: T[]): Promise<T[]> {
  if (docs.length === 0) return docs;
  const ids = docs.map((doc) => String(doc._id));
  const records = await PoolClockRecord.find({ _id: { $in: ids.flatMap((id) => [keyOf(id, 'follow-up'), keyOf(id, 'deal')]) } }).lean();
  const at = new Map(records.map((record) => [record._id, record.at]));
  return docs.map((doc) => ({
    ...doc,
    lastFollowUpAt: later(doc.lastFollowUpAt, at.get(keyOf(String(doc._id), 'follow-up'))),
    lastDealAt: later(doc.lastDealAt, at.get(keyOf(String(doc._id), 'deal'))),
  }));
}

export async function withPoolClock<T extends Clocked>(doc: T): Promise<T> {
  return (await withPoolClocks([doc]))[0]!;
}

/** A return reminder still counts: sent, and no follow-up or deal since (the customer read withPoolClocks). */
export function reminderStands(doc: Pick<CustomerDoc, 'poolReminderAt' | 'lastFollowUpAt' | 'lastDealAt'>): boolean {
  const sent = doc.poolReminderAt?.getTime() ?? 0;
  return sent > 0 && sent > (doc.lastFollowUpAt?.getTime() ?? 0) && sent > (doc.lastDealAt?.getTime() ?? 0);
}
