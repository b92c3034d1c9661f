// A sales population with known answers for the report tests, in 东区 / 西区 (service-fixture.ts):
// salespeople 赵 and 钱 (东区) and 孙 (西区); 8 leads of 2026-10-01..07 (China time) from every
// source and two campaigns, with conversions and won/lost opportunities; follow-up records;
// 7 customers across regions, industries and grades, owned and in the pool; ownership events.
// The figures the tests expect are worked out in sales-reports.test.ts.
import mongoose from 'mongoose';
import { CustomerCollaborator } from '../../src/modules/customers/customer-collaborator.model.js';
import { Customer } from '../../src/modules/customers/customer.model.js';
import { OwnershipEventRecord } from '../../src/modules/customers/ownership-event.model.js';
import { FollowRecord } from '../../src/modules/leads/follow-record.model.js';
import { LeadCollaborator } from '../../src/modules/leads/lead-collaborator.model.js';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { Opportunity } from '../../src/modules/leads/opportunity.model.js';
import { createStaffMember, unique } from '../helpers/factories.js';
import { cn, type Departments } from './service-fixture.js';

const C1 = new mongoose.Types.ObjectId().toHexString();
const C2 = new mongoose.Types.ObjectId().toHexString();

export async function createSalesPopulation(departments: Departments) {
  const zhao = await createStaffMember('sales', { name: '赵业务', department: departments.east });
  const qian = await createStaffMember('sales', { name: '钱业务', department: departments.east });
  const sun = await createStaffMember('sales', { name: '孙业务', department: departments.west });
  const S = { zhao: zhao.id, qian: qian.id, sun: sun.id };
  const { east, west } = departments;

  const lead = <T extends { createdAt: Date }>(n: number, fields: T) => ({ _id: new mongoose.Types.ObjectId(), name: `线索${n}`, company: `公司${n}`, ...fields });
  const leads = {
    L1: lead(1, { source: 'campaign', campaignId: C1, campaignName: '双十一', ownerId: S.zhao, department: east, status: 'converted', convertedAt: cn('2026-10-03 10:00'), createdAt: cn('2026-10-01 09:00') }),
    L2: lead(2, { source: 'campaign', campaignId: C1, campaignName: '双十一', ownerId: S.zhao, department: east, status: 'converted', convertedAt: cn('2026-10-04 10:00'), createdAt: cn('2026-10-02 09:00') }),
    L3: lead(3, { source: 'campaign', campaignId: C2, campaignName: '国庆', ownerId: S.qian, department: east, status: 'following', createdAt: cn('2026-10-02 10:00') }),
    L4: lead(4, { source: 'manual', ownerId: S.qian, department: east, status: 'converted', convertedAt: cn('2026-10-05 10:00'), createdAt: cn('2026-10-03 09:00') }),
    L5: lead(5, { source: 'official-account', ownerId: S.sun, department: west, collaboratorIds: [S.qian], status: 'converted', convertedAt: cn('2026-10-06 10:00'), createdAt: cn('2026-10-04 09:00') }),
    L6: lead(6, { source: 'campaign', campaignId: C2, campaignName: '国庆', ownerId: S.sun, department: west, status: 'new', createdAt: cn('2026-10-05 09:00') }),
    L7: lead(7, { source: 'import', ownerId: S.sun, department: west, status: 'closed', createdAt: cn('2026-10-06 09:00') }),
    // The unassigned intake: no owner, no department yet.
    L8: lead(8, { source: 'campaign', campaignId: C1, campaignName: '双十一', ownerId: null, department: '', status: 'new', createdAt: cn('2026-10-07 23:59') }),
    // Before the period.
    L9: lead(9, { source: 'campaign', campaignId: C1, campaignName: '双十一', ownerId: S.zhao, department: east, status: 'converted', convertedAt: cn('2026-09-25 10:00'), createdAt: cn('2026-09-20 09:00') }),
  };
  await Lead.insertMany(Object.values(leads).map((l) => ({ ...l, updatedAt: l.createdAt })), { timestamps: false });
  await LeadCollaborator.create({ _id: `${leads.L5._id}:${S.qian}`, leadId: String(leads.L5._id), staffId: S.qian, at: cn('2026-10-04 10:00') });

  const customerId = new mongoose.Types.ObjectId().toHexString();
  const opportunity = (leadKey: keyof typeof leads, ownerId: string, department: string, stage: string, amount: number, closedAt: string | null) => ({
    name: `商机-${leadKey}`,
    customerId,
    leadId: String(leads[leadKey]._id),
    ownerId,
    department,
    stage,
    amount,
    closedAt: closedAt ? cn(closedAt) : null,
  });
  await Opportunity.insertMany([
    opportunity('L1', S.zhao, east, 'won', 100_000, '2026-10-05 10:00'),
    opportunity('L2', S.zhao, east, 'open', 80_000, null),
    opportunity('L4', S.qian, east, 'won', 50_000, '2026-10-06 10:00'),
    opportunity('L5', S.sun, west, 'lost', 70_000, '2026-10-07 10:00'),
    // A lead of September won in the period: 赵's won amount, not the period's funnel.
    opportunity('L9', S.zhao, east, 'won', 30_000, '2026-10-03 10:00'),
    // Won after the period.
    opportunity('L2', S.zhao, east, 'won', 1, '2026-10-08 10:00'),
  ]);

  const follow = (authorId: string, department: string, at: string) => ({
    target: 'lead',
    leadId: String(leads.L1._id),
    kind: 'phone',
    note: '电话沟通',
    authorId,
    department,
    createdAt: cn(at),
  });
  await FollowRecord.insertMany([
    follow(S.zhao, east, '2026-10-01 12:00'),
    follow(S.zhao, east, '2026-10-02 12:00'),
    follow(S.zhao, east, '2026-10-07 23:00'),
    follow(S.zhao, east, '2026-09-30 12:00'),
    follow(S.qian, east, '2026-10-03 12:00'),
    follow(S.sun, west, '2026-10-03 12:00'),
    follow(S.sun, west, '2026-10-04 12:00'),
  ]);

  const customer = (n: string, department: string, region: string, industry: string, grade: string, ownerId: string | null, created: string, collaboratorIds: string[] = []) => ({
    _id: new mongoose.Types.ObjectId(),
    code: unique(`KH${n}`),
    name: `客户${n}`,
    region,
    industry,
    grade,
    department,
    ownerId,
    // Owned since now: the pool sweep run at start must not take back customers created in the fixture's past.
    ownerSince: ownerId ? new Date() : null,
    collaboratorIds,
    createdAt: cn(created),
    updatedAt: cn(created),
  });
  const customers = [
    customer('a', east, '杭州', '制造业', 'A', S.zhao, '2026-09-01 09:00'),
    customer('b', east, '杭州', '零售', 'B', S.zhao, '2026-09-01 09:00'),
    customer('c', east, '宁波', '制造业', 'A', S.qian, '2026-09-01 09:00'),
    customer('d', east, '宁波', '', 'C', null, '2026-10-02 09:00'),
    customer('e', west, '广州', '制造业', 'B', S.sun, '2026-10-02 09:00'),
    customer('f', west, '广州', '零售', '', null, '2026-10-02 09:00'),
    customer('g', west, '深圳', '制造业', 'A', S.sun, '2026-10-02 09:00', [S.qian]),
  ];
  await Customer.insertMany(customers, { timestamps: false });
  await CustomerCollaborator.create({ _id: `${S.qian}:${customers[6]!._id}`, staffId: S.qian, customerId: String(customers[6]!._id) });

  const event = (n: number, kind: string, from: string | null, to: string | null, department: string, at: string) => ({
    _id: `report-test-${n}`,
    customerId: String(customers[0]!._id),
    kind,
    fromOwnerId: from,
    toOwnerId: to,
    department,
    at: cn(at),
  });
  await OwnershipEventRecord.insertMany([
    event(1, 'claim', null, S.zhao, east, '2026-10-01 10:00'),
    event(2, 'claim', null, S.qian, east, '2026-10-01 11:00'),
    event(3, 'release', S.zhao, null, east, '2026-10-02 10:00'),
    event(4, 'transfer', S.zhao, S.qian, east, '2026-10-03 10:00'),
    event(5, 'return', S.sun, null, west, '2026-10-03 11:00'),
    event(6, 'reassign', S.sun, S.qian, west, '2026-10-04 10:00'),
    event(7, 'create', null, S.sun, west, '2026-10-04 11:00'),
    event(8, 'claim', null, S.sun, west, '2026-09-30 10:00'),
  ]);
  return { zhao, qian, sun, campaigns: { C1, C2 } };
}
