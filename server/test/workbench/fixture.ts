// A population with known counts per role for the workbench tests: service requests, follow-ups,
// leads, customers, campaigns and work orders in three departments (东区 with its child 东区一组,
// and 西区). Documents are written through the models, as the services would leave them.
import { randomUUID } from 'node:crypto';
import type { LeadStatus, WorkOrderStatus } from '@qiao/shared';
import mongoose from 'mongoose';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { syncFollowDues } from '../../src/modules/leads/follow-record.dues.js';
import { FollowRecord } from '../../src/modules/leads/follow-record.model.js';
import { LeadCollaborator, leadCollaboratorId } from '../../src/modules/leads/lead-collaborator.model.js';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { Opportunity } from '../../src/modules/leads/opportunity.model.js';
import { Feedback, NEVER_OVERDUE } from '../../src/modules/service/feedback.model.js';
import { FollowUp } from '../../src/modules/service/follow-up.model.js';
import { WorkOrder } from '../../src/modules/service/work-order.model.js';
import { SpreadTotals } from '../../src/modules/spread/share-node.model.js';
import { todayStart } from '../../src/modules/workbench/time.js';
import { createCampaignFixture } from '../helpers/campaigns.js';
import { createEngineer, createStaffMember, unique } from '../helpers/factories.js';
import { call, type TestServer } from '../helpers/server.js';

const DAY = 86_400_000;

export interface Fixture {
  departments: { east: string; eastSub: string; west: string };
  staff: Record<'dispatcherEast' | 'dispatcherEastSub' | 'dispatcherWest' | 'managerEast' | 'sales1' | 'sales2' | 'marketer' | 'engineer', { id: string; token: string }>;
  campaigns: { withLeads: string };
  /** An instant of today (China time) before now. */
  today: Date;
  now: Date;
}

interface RequestFields {
  department: string;
  status: 'submitted' | 'dispatched' | 'accepted' | 'completed';
  createdAt: Date;
  overdue?: boolean;
  completedAt?: Date;
}

export async function insertRequest(fields: RequestFields, now = new Date()): Promise<string> {
  const _id = new mongoose.Types.ObjectId();
  const requestedBy = fields.overdue ? new Date(now.getTime() - DAY) : new Date(now.getTime() + 3 * DAY);
  await Feedback.collection.insertOne({
    _id,
    number: unique('FW-WB-'),
    clientRequestId: randomUUID(),
    wechatUserId: 'workbench-user',
    customerId: new mongoose.Types.ObjectId().toHexString(),
    contactId: new mongoose.Types.ObjectId().toHexString(),
    type: 'repair',
    status: fields.status,
    description: '工作台测试',
    contactPhone: '13800000000',
    requestedBy,
    overdueAt: fields.status === 'completed' ? NEVER_OVERDUE : requestedBy,
    region: '杭州',
    productLine: '空调',
    department: fields.department,
    completedAt: fields.completedAt ?? null,
    createdAt: fields.createdAt,
    updatedAt: fields.createdAt,
  });
  return String(_id);
}

export async function buildFixture(server: TestServer, adminToken: string): Promise<Fixture> {
  const department = async (name: string, parentId: string | null = null) => {
    const response = await call(server.url, '/api/v1/departments', { token: adminToken, body: { name, parentId } });
    if (response.status !== 201) throw new Error(JSON.stringify(response.body));
    return response.body.id as string;
  };
  const east = await department(unique('东区'));
  const eastSub = await department(unique('东区一组'), east);
  const west = await department(unique('西区'));

  const now = new Date();
  // Between the start of the China day and now: "today" whenever the test runs.
  const start = todayStart(now);
  const today = new Date(start.getTime() + Math.floor((now.getTime() - start.getTime()) / 2));
  const daysAgo = (n: number) => new Date(start.getTime() - n * DAY + 3600_000);

  const staff = {
    dispatcherEast: await createStaffMember('dispatcher', { department: east }),
    dispatcherEastSub: await createStaffMember('dispatcher', { department: eastSub }),
    dispatcherWest: await createStaffMember('dispatcher', { department: west }),
    managerEast: await createStaffMember('manager', { department: east }),
    sales1: await createStaffMember('sales', { department: east }),
    sales2: await createStaffMember('sales', { department: west }),
    marketer: await createStaffMember('marketer', { department: null }),
    engineer: await createEngineer({ department: east }),
  };

  // ---- service requests ----
  // 东区: waiting 2 (one overdue), overdue 2, created today 1, completed today 1.
  await insertRequest({ department: east, status: 'submitted', createdAt: today }, now);
  await insertRequest({ department: east, status: 'submitted', createdAt: daysAgo(2), overdue: true }, now);
  await insertRequest({ department: east, status: 'dispatched', createdAt: daysAgo(2), overdue: true }, now);
  await insertRequest({ department: east, status: 'completed', createdAt: daysAgo(3), completedAt: today }, now);
  await insertRequest({ department: east, status: 'completed', createdAt: daysAgo(5), completedAt: daysAgo(3) }, now);
  // 东区一组: waiting 1 (today), overdue 1.
  await insertRequest({ department: eastSub, status: 'submitted', createdAt: today }, now);
  await insertRequest({ department: eastSub, status: 'accepted', createdAt: daysAgo(2), overdue: true }, now);
  // 西区: waiting 3 (today), completed today 1 (created today).
  for (let i = 0; i < 3; i += 1) await insertRequest({ department: west, status: 'submitted', createdAt: today }, now);
  await insertRequest({ department: west, status: 'completed', createdAt: today, completedAt: today }, now);

  // ---- 回访: 东区 2 open + 1 closed, 西区 1 open ----
  const followUp = (dept: string, status: 'open' | 'closed') =>
    FollowUp.create({ _id: new mongoose.Types.ObjectId(), feedbackId: new mongoose.Types.ObjectId().toHexString(), department: dept, status });
  await Promise.all([followUp(east, 'open'), followUp(east, 'open'), followUp(east, 'closed'), followUp(west, 'open')]);

  // ---- leads ----
  const lead = async (fields: { status: LeadStatus; ownerId?: string | null; department: string; source?: 'manual' | 'campaign'; createdAt?: Date }) => {
    const doc = await Lead.create({
      name: unique('客户'),
      company: unique('公司'),
      source: fields.source ?? 'manual',
      status: fields.status,
      ownerId: fields.ownerId ?? null,
      department: fields.department,
    });
    // createdAt is immutable through mongoose: set behind it, as an old record would hold it.
    if (fields.createdAt) await Lead.collection.updateOne({ _id: doc._id }, { $set: { createdAt: fields.createdAt } });
    return String(doc._id);
  };
  // sales1 (东区): assigned 2, following 1 open; converted and closed are not. sales2 (西区): following 1.
  const sales1Leads: string[] = [];
  for (const status of ['assigned', 'assigned', 'following', 'converted', 'closed'] as const) sales1Leads.push(await lead({ status, ownerId: staff.sales1.id, department: east }));
  await lead({ status: 'following', ownerId: staff.sales2.id, department: west });
  // sales2's lead shared with sales1 (协作): open for both.
  const shared = await lead({ status: 'following', ownerId: staff.sales2.id, department: west });
  await Lead.updateOne({ _id: shared }, { $set: { collaboratorIds: [staff.sales1.id] } });
  await LeadCollaborator.create({ _id: leadCollaboratorId(shared, staff.sales1.id), leadId: shared, staffId: staff.sales1.id, at: now });
  // Waiting for assignment: 东区 2 (campaign leads of this week), 西区 1, none 1 (the intake managers see).
  await lead({ status: 'new', department: east, source: 'campaign', createdAt: today });
  await lead({ status: 'new', department: east, source: 'campaign', createdAt: today });
  await lead({ status: 'new', department: west });
  await lead({ status: 'new', department: '' });
  // A campaign lead of long ago: not this week.
  await lead({ status: 'closed', department: west, source: 'campaign', createdAt: daysAgo(40) });

  // ---- customers ----
  const customer = async (fields: { ownerId: string | null; department: string; reminded?: boolean }) =>
    String(
      (
        await Customer.create({
      code: unique('KH'),
      name: unique('客户'),
      region: '杭州',
      department: fields.department,
      ownerId: fields.ownerId,
      ownerSince: fields.ownerId ? daysAgo(30) : null,
          poolReminderAt: fields.reminded ? daysAgo(1) : null,
        })
      )._id,
    );
  const sales1Customer = await customer({ ownerId: staff.sales1.id, department: east, reminded: true });
  await customer({ ownerId: staff.sales1.id, department: east });
  await customer({ ownerId: staff.sales1.id, department: eastSub });
  await customer({ ownerId: staff.sales2.id, department: west, reminded: true });
  await customer({ ownerId: null, department: east });
  await customer({ ownerId: null, department: east });
  await customer({ ownerId: null, department: west });

  // ---- opportunities: sales1 2 open + 1 won (东区), sales2 1 open (西区) ----
  const opportunity = (ownerId: string, dept: string, stage: 'open' | 'won') =>
    Opportunity.create({ name: unique('商机'), customerId: sales1Customer, ownerId, department: dept, stage, amount: 100_000 });
  await Promise.all([opportunity(staff.sales1.id, east, 'open'), opportunity(staff.sales1.id, east, 'open'), opportunity(staff.sales1.id, east, 'won'), opportunity(staff.sales2.id, west, 'open')]);

  // ---- follow-up records of sales1: due yesterday (a lead), due today (a customer), due in 3 days (a lead) ----
  const record = (target: { leadId: string } | { customerId: string }, nextAt: Date) =>
    FollowRecord.create({
      target: 'leadId' in target ? 'lead' : 'customer',
      ...target,
      kind: 'phone',
      note: '电话沟通需求',
      nextStep: '上门演示',
      nextAt,
      authorId: staff.sales1.id,
      department: east,
      latest: true,
      createdAt: daysAgo(5),
    });
  await record({ leadId: sales1Leads[0]! }, daysAgo(1));
  await record({ customerId: sales1Customer }, today);
  await record({ leadId: sales1Leads[1]! }, new Date(now.getTime() + 3 * DAY));
  // Written behind the service: their due rows as the service (or the start-up backfill) makes them.
  await syncFollowDues([
    { target: 'lead', id: sales1Leads[0]! },
    { target: 'customer', id: sales1Customer },
    { target: 'lead', id: sales1Leads[1]! },
  ]);

  // ---- campaigns: 2 running, 1 scheduled, 1 draft ----
  const withLeads = await createCampaignFixture({ status: 'running', name: unique('焕新季') });
  await SpreadTotals.create({ _id: withLeads.id, views: 40, uniqueVisitors: 25, intents: 9, leads: 7 });
  await createCampaignFixture({ status: 'running', startedAt: daysAgo(10) });
  await createCampaignFixture({ status: 'scheduled', startedAt: null });
  await createCampaignFixture({ status: 'draft' });

  // ---- work orders: the engineer has 2 pending, 2 being worked, 1 completed; another engineer 1 pending ----
  const other = await createEngineer({ department: east });
  const order = (assigneeId: string, status: WorkOrderStatus) =>
    WorkOrder.create({ feedbackId: new mongoose.Types.ObjectId().toHexString(), assigneeId, status, dispatchedAt: today, dispatchedBy: staff.dispatcherEast.id });
  for (const status of ['pending', 'pending', 'accepted', 'in_progress', 'completed'] as const) await order(staff.engineer.id, status);
  await order(other.id, 'pending');

  return {
    departments: { east, eastSub, west },
    staff: Object.fromEntries(Object.entries(staff).map(([key, value]) => [key, { id: value.id, token: value.token }])) as Fixture['staff'],
    campaigns: { withLeads: withLeads.id },
    today,
    now,
  };
}
