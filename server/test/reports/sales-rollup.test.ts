// The lead funnel and owner performance read day rollups of leads (report_lead_days) and of
// follow-up records (report_follow_days), not every lead and record of the period: a conversion, a
// win, a reassignment of a lead of an old day shows in the next report; records added or removed
// behind the services' back are found by counts; a day never filled is computed on its first read
// and the job fills the history; two writers of a day at once store what one alone stores.
import mongoose from 'mongoose';
import { describe, expect, it } from 'vitest';
import { chinaDate } from '../../src/lib/china-time.js';
import { daysFromTo } from '../../src/lib/day-rollups.js';
import { FollowRecord } from '../../src/modules/leads/follow-record.model.js';
import { recomputeLeadDay } from '../../src/modules/leads/lead-days.js';
import { Lead } from '../../src/modules/leads/lead.model.js';
import { Opportunity } from '../../src/modules/leads/opportunity.model.js';
import { FollowDay, LeadDay } from '../../src/modules/leads/report-days.model.js';
import { refreshSalesDays } from '../../src/modules/reports/sales-rollups.jobs.js';
import { createStaffMember } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { figures, reportClient, rows } from './report-client.js';
import { createSalesPopulation } from './sales-fixture.js';
import { cn, createDepartments, type Departments } from './service-fixture.js';

let server: TestServer;
let departments: Departments;
let people: Awaited<ReturnType<typeof createSalesPopulation>>;
const tokens = { admin: '', manager: '' };

useTestServer(async (started) => {
  server = started;
  departments = await createDepartments();
  people = await createSalesPopulation(departments);
  tokens.admin = (await createStaffMember('admin', { department: null })).token;
  tokens.manager = (await createStaffMember('manager', { department: departments.east })).token;
});

const { report } = reportClient(() => server.url);
const leadOf = async (name: string) => (await Lead.findOne({ name }).lean())!;
const owner = (body: any, name: string) => rows(body, 'by-owner').find((row: any) => row.owner === name);

describe('lead and follow-up day rollups', () => {
  it('a conversion, a win and a reassignment of a lead of an old day show in the next report', async () => {
    expect(figures(await report('lead-funnel', tokens.admin))).toMatchObject({ leads: 8, converted: 4, won: 3, wonAmount: 150_001 });
    const l3 = await leadOf('线索3');
    const converted = await call(server.url, `/api/v1/leads/${l3._id}/convert`, {
      token: tokens.manager,
      body: { customer: { name: '转化客户三', region: '杭州' }, contact: { name: '孔三', phone: '13900139003' }, opportunity: { name: '商机三', amount: 20_000 } },
    });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(figures(await report('lead-funnel', tokens.admin))).toMatchObject({ leads: 8, converted: 5, won: 3, wonAmount: 150_001 });
    expect(rows(await report('lead-funnel', tokens.admin), 'by-campaign')).toContainEqual({ campaign: '国庆', leads: 2, converted: 1, won: 0, conversionRate: 50, winRate: 0, wonAmount: 0 });

    const won = await call(server.url, `/api/v1/opportunities/${converted.body.opportunityId}/won`, { token: tokens.manager, method: 'POST' });
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    expect(figures(await report('lead-funnel', tokens.admin))).toMatchObject({ leads: 8, converted: 5, won: 4, wonAmount: 170_001 });
    expect(figures(await report('lead-funnel', people.qian.token))).toMatchObject({ leads: 3, converted: 3, won: 2, wonAmount: 70_000 });

    // 孙's L6 (西区) goes to 赵 (东区): the manager of 东区 counts it now, and 赵's line has it.
    expect(figures(await report('lead-funnel', tokens.manager))).toMatchObject({ leads: 5 });
    const l6 = await leadOf('线索6');
    const assigned = await call(server.url, `/api/v1/leads/${l6._id}/assign`, { token: tokens.admin, body: { ownerId: people.zhao.id } });
    expect(assigned.status, JSON.stringify(assigned.body)).toBe(200);
    expect(figures(await report('lead-funnel', tokens.manager))).toMatchObject({ leads: 6 });
    const performance = await report('owner-performance', tokens.admin);
    expect(owner(performance, '赵业务')).toMatchObject({ leads: 3 });
    expect(owner(performance, '孙业务')).toMatchObject({ leads: 2 });
    expect(figures(performance)).toMatchObject({ leads: 7 });
  });

  it('leads and follow-up records added or removed behind the services’ back are counted in the next report', async () => {
    const before = await report('owner-performance', tokens.admin);
    const record = await FollowRecord.create({ target: 'lead', leadId: 'x', kind: 'visit', note: '上门', authorId: people.zhao.id, department: departments.east, createdAt: cn('2026-10-05 15:00') });
    expect(owner(await report('owner-performance', tokens.admin), '赵业务').followUps).toBe(owner(before, '赵业务').followUps + 1);
    await FollowRecord.deleteOne({ _id: record._id });
    expect(await report('owner-performance', tokens.admin)).toEqual(before);

    const funnel = figures(await report('lead-funnel', tokens.admin));
    const extra = { _id: new mongoose.Types.ObjectId(), name: '线索X', source: 'import', status: 'new', ownerId: null, department: '', createdAt: cn('2026-10-06 12:00'), updatedAt: cn('2026-10-06 12:00') };
    await Lead.insertMany([extra], { timestamps: false });
    expect(figures(await report('lead-funnel', tokens.admin))).toMatchObject({ leads: funnel.leads + 1 });
    await Lead.deleteOne({ _id: extra._id });
    expect(figures(await report('lead-funnel', tokens.admin))).toEqual(funnel);
  });

  it('a day never filled is computed on its first read, and the job fills every day since the first lead', async () => {
    const body = await report('lead-funnel', tokens.admin);
    await LeadDay.deleteMany({});
    await FollowDay.deleteMany({});
    expect(await report('lead-funnel', tokens.admin)).toEqual(body);
    expect((await LeadDay.find({}, { _id: 1 }).lean()).map((doc) => doc._id)).toEqual(expect.arrayContaining(daysFromTo('2026-10-01', '2026-10-07')));
    await refreshSalesDays();
    const first = chinaDate((await Lead.find({}).sort({ createdAt: 1 }).limit(1).lean())[0]!.createdAt);
    expect(await LeadDay.countDocuments({})).toBe(daysFromTo(first, chinaDate(new Date())).length);
    expect(await FollowDay.countDocuments({ _id: { $in: daysFromTo('2026-10-01', '2026-10-07') } })).toBe(7);
    expect(await report('lead-funnel', tokens.admin)).toEqual(body);
    // A year: the days are all there, read by `_id`.
    const year = await report('lead-funnel', tokens.admin, 'from=2025-11-01&to=2026-10-31');
    expect(figures(year).leads).toBe(figures(body).leads + 1); // L9 of September
  });

  it('two writers of a day at once, with a change between them, store what one alone stores', async () => {
    const DAY = '2026-10-02';
    const l3 = await leadOf('线索3');
    const stored = async () => {
      const doc = await LeadDay.findById(DAY).lean();
      return doc && { total: doc.total, cells: doc.cells };
    };
    for (const status of ['closed', 'following', 'closed']) {
      await Promise.all([recomputeLeadDay(DAY), Lead.updateOne({ _id: l3._id }, { $set: { status } }), recomputeLeadDay(DAY), report('lead-funnel', tokens.admin)]);
      const together = await stored();
      await recomputeLeadDay(DAY);
      expect(together).toEqual(await stored());
    }
    // An opportunity of the day's lead won while two writers run.
    const opportunity = await Opportunity.findOne({ leadId: String((await leadOf('线索2'))._id), stage: 'open' }).lean();
    await Promise.all([recomputeLeadDay(DAY), Opportunity.updateOne({ _id: opportunity!._id }, { $set: { stage: 'won', closedAt: cn('2026-10-06 09:00') } }), recomputeLeadDay(DAY)]);
    const together = await stored();
    await recomputeLeadDay(DAY);
    expect(together).toEqual(await stored());
  });

  it('declares the indexes the rollups read by', async () => {
    const keys = async (model: { collection: { indexes(): Promise<Array<{ key: unknown }>> } }) => (await model.collection.indexes()).map((index) => JSON.stringify(index.key));
    expect(await keys(Lead)).toEqual(expect.arrayContaining([JSON.stringify({ updatedAt: 1 }), JSON.stringify({ createdAt: -1 })]));
    expect(await keys(Opportunity)).toEqual(expect.arrayContaining([JSON.stringify({ updatedAt: 1 }), JSON.stringify({ stage: 1, closedAt: 1 })]));
    expect(await keys(FollowRecord)).toEqual(expect.arrayContaining([JSON.stringify({ createdAt: -1 })]));
  });
});
