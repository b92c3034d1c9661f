// The menu badges are polled by every open console: each of their counts must be answered by an
// index on the embedded database (the patched FerretDB pushes the whole filter down to SQLite),
// never by reading the collection. MongoDB answers another plan shape (skipped there).
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { returningCustomersFilter } from '../../src/modules/customers/workbench.counts.js';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { leadsWithStatusFilter } from '../../src/modules/leads/workbench.counts.js';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { FollowUp } from '../../src/modules/service/follow-up.model.js';
import { openFollowUpsFilter, waitingDispatchFilter } from '../../src/modules/service/workbench.counts.js';
import { useTestServer } from '../helpers/server.js';

useTestServer(() => {});

const planOf = async (query: { explain(): Promise<unknown> }) => JSON.stringify((await query.explain()) as object);

function servedByIndex(plan: string, index: string): void {
  expect(plan).toContain('"filterPushdown":true');
  expect(plan).toMatch(new RegExp(`USING (COVERING )?INDEX \\w+?_${index}`));
  expect(plan).not.toMatch(/detail=SCAN /);
}

describe('badge counts on the embedded database', () => {
  it('are served by indexes, for one department and for a subtree', async () => {
    if (process.env.MONGODB_URI) return;
    // A document of each kind, so every field has its type (pushdown is decided per field type).
    const id = () => new mongoose.Types.ObjectId();
    await Feedback.collection.insertOne({ _id: id(), number: 'FW-PLAN-1', clientRequestId: 'plan-1', status: 'submitted', department: 'd1', createdAt: new Date() });
    await FollowUp.collection.insertOne({ _id: id(), feedbackId: 'f', status: 'open', department: 'd1', createdAt: new Date() });
    await Lead.collection.insertOne({ _id: id(), name: 'n', status: 'assigned', ownerId: 's1', department: 'd1', createdAt: new Date() });
    await Customer.collection.insertOne({ _id: id(), code: 'KH-PLAN', ownerId: 's1', poolReminderAt: new Date(), department: 'd1', createdAt: new Date() });

    for (const scope of [{ department: 'd1' }, { department: { $in: ['d1', 'd2'] } }]) {
      servedByIndex(await planOf(Feedback.find(waitingDispatchFilter(scope))), 'department_1_status_1');
      servedByIndex(await planOf(FollowUp.find(openFollowUpsFilter(scope))), 'department_1_status_1');
    }
    servedByIndex(await planOf(Feedback.find(waitingDispatchFilter({}))), 'status_1');
    servedByIndex(await planOf(Lead.find(leadsWithStatusFilter({ ownerId: 's1' }, 'assigned'))), '(ownerId|status)_1');
    servedByIndex(await planOf(Lead.find(leadsWithStatusFilter({ department: { $in: ['d1', ''] } }, 'new'))), '(department|status)_1');
    servedByIndex(await planOf(Customer.find(returningCustomersFilter({ ownerId: 's1' }))), 'ownerId_1');
    // The workbench card of a manager (department) and of admin (no condition).
    servedByIndex(await planOf(Customer.find(returningCustomersFilter({ department: 'd1' }))), 'department_1_poolReminderAt_1');
    servedByIndex(await planOf(Customer.find(returningCustomersFilter({ department: { $in: ['d1', 'd2'] } }))), 'department_1_poolReminderAt_1');
    servedByIndex(await planOf(Customer.find(returningCustomersFilter({}))), 'poolReminderAt_1');
  });
});
