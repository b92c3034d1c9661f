// What the reports count instead of reading must be answered by an index on the embedded database
// (the patched FerretDB pushes the whole filter down to SQLite), never by reading a collection.
// MongoDB answers another plan shape (skipped there).
import { workOrderStatuses } from '@qiao/shared';
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { WorkOrder } from '../../src/modules/service/work-order.model.js';
import { useTestServer } from '../helpers/server.js';

useTestServer(() => {});

const planOf = async (query: { explain(): Promise<unknown> }) => JSON.stringify((await query.explain()) as object);

function servedByIndex(plan: string, index: string): void {
  expect(plan).toContain('"filterPushdown":true');
  expect(plan).toMatch(new RegExp(`USING (COVERING )?INDEX \\w+?_${index}`));
  expect(plan).not.toMatch(/detail=SCAN /);
}

describe('report counts on the embedded database', () => {
  it('engineer workload, open requests per engineer and the customer rollups are served by indexes', async () => {
    if (process.env.MONGODB_URI) return;
    const id = () => new mongoose.Types.ObjectId();
    const now = new Date();
    const range = { $gte: new Date(now.getTime() - 86_400_000), $lt: now };
    await WorkOrder.collection.insertOne({ _id: id(), feedbackId: 'f', assigneeId: 'e1', status: 'pending', dispatchedAt: now, completedAt: now, createdAt: now });
    await Feedback.collection.insertOne({ _id: id(), number: 'FW-PLAN-R', clientRequestId: 'plan-r', status: 'dispatched', engineerId: 'e1', department: 'd1', createdAt: now, updatedAt: now });
    await Customer.collection.insertOne({ _id: id(), code: 'KH-PLAN-R', department: 'd1', createdAt: now, updatedAt: now });

    servedByIndex(await planOf(WorkOrder.find({ assigneeId: 'e1', status: { $in: [...workOrderStatuses] }, dispatchedAt: range })), 'assigneeId_1_status_1_dispatchedAt');
    servedByIndex(await planOf(WorkOrder.find({ assigneeId: 'e1', status: 'completed', completedAt: range })), 'assigneeId_1_status_1_completedAt');
    servedByIndex(await planOf(WorkOrder.find({ assigneeId: 'e1', status: { $in: ['pending', 'accepted', 'in_progress'] } })), 'assigneeId_1');
    servedByIndex(await planOf(Feedback.find({ department: 'd1', engineerId: 'e1', status: { $in: ['dispatched', 'accepted', 'in_progress'] } })), '(engineerId|department)_1');
    servedByIndex(await planOf(Customer.find({ updatedAt: { $gt: range.$gte, $lt: new Date('9999-12-31T00:00:00Z') } })), 'updatedAt_1');
    servedByIndex(await planOf(Customer.find({ updatedAt: { $gte: range.$gte, $lt: new Date('9999-12-31T00:00:00Z') }, createdAt: range })), '(updatedAt|createdAt)_');
    servedByIndex(await planOf(Feedback.find({ updatedAt: { $gte: range.$gte, $lt: new Date('9999-12-31T00:00:00Z') }, createdAt: range })), '(updatedAt|createdAt)_');
  });
});
