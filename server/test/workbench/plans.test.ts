// The menu badges are polled by every open console: each of their counts must be answered by an
// index on the embedded database (the patched FerretDB pushes the whole filter down to SQLite),
// never by reading the collection. MongoDB answers another plan shape (skipped there).
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { returningCustomersFilter } from '../../src/modules/customers/workbench.counts.js';
import { flatFilter } from '../../src/lib/query.js';
import { FollowDue } from '../../src/modules/leads/follow-record-due.model.js';
import { DUE_ORDER, dueBy } from '../../src/modules/leads/follow-record.due-list.js';
import { byIdsFirst } from '../../src/modules/leads/lead-visibility.js';
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

  it('due follow-ups: each source one indexed range on dueAt, sorted by the index; shared leads by their ids', async () => {
    if (process.env.MONGODB_URI) return;
    const id = () => new mongoose.Types.ObjectId();
    await FollowDue.collection.insertOne({ _id: `lead:${String(id())}` as never, target: 'lead', targetId: 'l', recordId: 'r', authorId: 's1', dueAt: new Date(), ownerId: 's1', department: 'd1' });
    const now = new Date();
    const sortedByIndex = (plan: string) => {
      expect(plan).toContain('"sortPushdown":true');
      expect(plan).not.toContain('TEMP B-TREE');
    };
    for (const [source, index] of [
      [{ ownerId: 's1' }, 'ownerId_1_dueAt_1'],
      [{ ownerId: 's1', authorId: 's1' }, 'ownerId_1_dueAt_1'],
      [{ department: 'd1' }, 'department_1_dueAt_1'],
      [{ department: '', target: 'lead' }, 'department_1_dueAt_1'],
      [{}, 'dueAt_1'],
    ] as const) {
      const filter = flatFilter(source, dueBy(now));
      const plan = await planOf(FollowDue.find(filter).sort(DUE_ORDER).limit(8));
      servedByIndex(plan, index);
      sortedByIndex(plan);
      servedByIndex(await planOf(FollowDue.find(filter)), index);
    }
    // A salesperson's shared leads with a status filter: by `_id`, not by walking the status index.
    await Lead.collection.insertOne({ _id: id(), name: 'n', status: 'following', ownerId: 's2', department: 'd1', createdAt: new Date() });
    const shared = byIdsFirst(flatFilter({ _id: { $in: [id(), id()] }, ownerId: { $ne: 's1' } }, { status: 'following' }));
    expect(await planOf(Lead.find(shared).sort({ createdAt: -1, _id: -1 }).limit(20))).toMatch(/USING INDEX \w+__id_/);
  });
});
