// On start, once per database: the request fields work orders carry for the engineers' reports —
// `department` (the request's, what the reports scope orders by), `requestNumber` and
// `requestedBy` (what the dispatch calendar shows) — on the orders written before orders carried
// them (record-keys.ts runs it, 500 orders at a time). Each batch sets what its orders should hold,
// so a run cut short, a second run or two processes at once are harmless.
import mongoose from 'mongoose';
import { isObjectIdString } from '../../lib/db.js';
import { restartCalendarDays } from '../../modules/service/calendar-days.js';
import { migrateRecordKeys, type RecordKeysResult } from './record-keys.js';

/** Bump when what an order takes from its request changes: the next start fills them again. */
export const WORK_ORDER_FIELDS_VERSION = 1;

const objectIds = (ids: Iterable<string>) => [...new Set(ids)].filter(isObjectIdString).map((id) => new mongoose.Types.ObjectId(id));
const sameTime = (a: unknown, b: Date | null) => (a instanceof Date && b ? a.getTime() === b.getTime() : (a ?? null) === b);

/** Sets these orders' request fields from their requests (a request gone: department ''); returns how many changed. */
export async function fillWorkOrderFields(orderIds: string[]): Promise<number> {
  const db = mongoose.connection;
  const orders = await db
    .collection('work_orders')
    .find({ _id: { $in: objectIds(orderIds) } }, { projection: { feedbackId: 1, department: 1, requestNumber: 1, requestedBy: 1 } })
    .toArray();
  if (orders.length === 0) return 0;
  const requests = await db
    .collection('feedbacks')
    .find({ _id: { $in: objectIds(orders.map((order) => String(order.feedbackId))) } }, { projection: { department: 1, number: 1, requestedBy: 1 } })
    .toArray();
  const byId = new Map(requests.map((request) => [String(request._id), request]));
  const updates = orders.flatMap((order) => {
    const request = byId.get(String(order.feedbackId));
    const department = typeof request?.department === 'string' ? request.department : '';
    const requestNumber = typeof request?.number === 'string' ? request.number : '';
    const requestedBy = request?.requestedBy instanceof Date ? request.requestedBy : null;
    if (order.department === department && order.requestNumber === requestNumber && sameTime(order.requestedBy, requestedBy)) return [];
    return [{ updateOne: { filter: { _id: order._id }, update: { $set: { department, requestNumber, requestedBy } } } }];
  });
  if (updates.length === 0) return 0;
  return (await db.collection('work_orders').bulkWrite(updates, { ordered: false })).modifiedCount;
}

/** `force`: fill again whatever the marker says (orders written behind the services' back: tests, the bench). */
export async function migrateWorkOrderFields(options: { force?: boolean } = {}): Promise<RecordKeysResult<'work_orders'>> {
  let changed = 0;
  const result = await migrateRecordKeys(
    { id: 'work-order-fields', version: WORK_ORDER_FIELDS_VERSION },
    {
      work_orders: async (ids) => {
        changed += await fillWorkOrderFields(ids);
      },
    },
    options,
  );
  // Written without `updatedAt`, which the dispatch calendar's day rollups follow: they start afresh.
  if (changed > 0) await restartCalendarDays();
  return result;
}
