// Sales reports against a population with known answers (sales-fixture.ts), through the real HTTP
// server: the lead funnel, pool movements, owner performance and customer statistics — for admin,
// a manager (their subtree only), a salesperson (their own records) and a marketer (campaign leads).
import { describe, expect, it } from 'vitest';
import { createStaffMember } from '../helpers/factories.js';
import { useTestServer, type TestServer } from '../helpers/server.js';
import { figures, PERIOD, reportClient, rows, sheetRows } from './report-client.js';
import { createSalesPopulation } from './sales-fixture.js';
import { createDepartments, type Departments } from './service-fixture.js';

let server: TestServer;
let departments: Departments;
let people: Awaited<ReturnType<typeof createSalesPopulation>>;
const tokens = { admin: '', manager: '', marketer: '' };

useTestServer(async (started) => {
  server = started;
  departments = await createDepartments();
  people = await createSalesPopulation(departments);
  tokens.admin = (await createStaffMember('admin', { department: null })).token;
  tokens.manager = (await createStaffMember('manager', { department: departments.east })).token;
  tokens.marketer = (await createStaffMember('marketer', { department: departments.west })).token;
});

const { report, workbook } = reportClient(() => server.url);

describe('lead-funnel', () => {
  it('lead → converted → won by source and by campaign (admin: the 8 leads of the period)', async () => {
    const body = await report('lead-funnel', tokens.admin);
    // Converted: L1, L2, L4, L5. Won: L1 (1,000 元), L4 (500 元); L2's win after the period still counts for the lead.
    expect(figures(body)).toEqual({ leads: 8, converted: 4, won: 3, conversionRate: 50, winRate: 37.5, wonAmount: 150_001 });
    expect(rows(body, 'funnel')).toEqual([
      { stage: '线索', count: 8 },
      { stage: '已转化', count: 4 },
      { stage: '赢单', count: 3 },
    ]);
    expect(rows(body, 'by-source')).toEqual([
      { source: '营销方案', leads: 5, converted: 2, won: 2, conversionRate: 40, winRate: 40, wonAmount: 100_001 },
      { source: '公众号', leads: 1, converted: 1, won: 0, conversionRate: 100, winRate: 0, wonAmount: 0 },
      { source: '手工录入', leads: 1, converted: 1, won: 1, conversionRate: 100, winRate: 100, wonAmount: 50_000 },
      { source: '导入', leads: 1, converted: 0, won: 0, conversionRate: 0, winRate: 0, wonAmount: 0 },
    ]);
    expect(rows(body, 'by-campaign')).toEqual([
      { campaign: '双十一', leads: 3, converted: 2, won: 2, conversionRate: 66.7, winRate: 66.7, wonAmount: 100_001 },
      { campaign: '国庆', leads: 2, converted: 0, won: 0, conversionRate: 0, winRate: 0, wonAmount: 0 },
    ]);
  });

  it('a manager: their subtree and the unassigned intake; with a department filter, that department only', async () => {
    expect(figures(await report('lead-funnel', tokens.manager))).toMatchObject({ leads: 5, converted: 3, won: 3 });
    expect(figures(await report('lead-funnel', tokens.manager, `${PERIOD}&department=${departments.east}`))).toMatchObject({ leads: 4, converted: 3 });
    expect(figures(await report('lead-funnel', tokens.admin, `${PERIOD}&department=${departments.west}`))).toMatchObject({ leads: 3, converted: 1, won: 0 });
  });

  it('a salesperson: the leads they own or share; a marketer: campaign leads', async () => {
    // 钱: L3, L4 and L5 (shared by 孙).
    const qian = await report('lead-funnel', people.qian.token);
    expect(qian.scope).toBe('own');
    expect(figures(qian)).toMatchObject({ leads: 3, converted: 2, won: 1, wonAmount: 50_000 });
    const marketer = await report('lead-funnel', tokens.marketer);
    expect(figures(marketer)).toMatchObject({ leads: 5, converted: 2, won: 2 });
    expect(rows(marketer, 'by-source').map((r: any) => r.source)).toEqual(['营销方案']);
  });
});

describe('pool-movements', () => {
  it('claims, releases, transfers, returns and reassigns per day', async () => {
    const body = await report('pool-movements', tokens.admin);
    expect(figures(body)).toEqual({ total: 6, claim: 2, release: 1, transfer: 1, return: 1, reassign: 1 });
    expect(rows(body, 'by-time').slice(0, 4)).toEqual([
      { bucket: '2026-10-01', claim: 2, release: 0, transfer: 0, return: 0, reassign: 0 },
      { bucket: '2026-10-02', claim: 0, release: 1, transfer: 0, return: 0, reassign: 0 },
      { bucket: '2026-10-03', claim: 0, release: 0, transfer: 1, return: 1, reassign: 0 },
      { bucket: '2026-10-04', claim: 0, release: 0, transfer: 0, return: 0, reassign: 1 },
    ]);
    expect(rows(body, 'by-kind')).toEqual([
      { kind: '申领', count: 2 },
      { kind: '释放', count: 1 },
      { kind: '转交', count: 1 },
      { kind: '退回公海', count: 1 },
      { kind: '批量转移', count: 1 },
    ]);
  });

  it('a manager sees their departments’ movements; a salesperson those from or to them', async () => {
    expect(figures(await report('pool-movements', tokens.manager))).toMatchObject({ total: 4, return: 0, reassign: 0 });
    expect(figures(await report('pool-movements', people.qian.token))).toEqual({ total: 3, claim: 1, release: 0, transfer: 1, return: 0, reassign: 1 });
    expect(figures(await report('pool-movements', people.zhao.token))).toEqual({ total: 3, claim: 1, release: 1, transfer: 1, return: 0, reassign: 0 });
  });
});

describe('owner-performance', () => {
  it('per salesperson: leads, follow-ups, conversions, won amount, customers owned', async () => {
    const body = await report('owner-performance', tokens.admin);
    expect(rows(body, 'by-owner')).toEqual([
      // 赵: L1, L2; 3 records in the period; won L1 (10-05) and L9 (10-03); customers a, b.
      { owner: '赵业务', leads: 2, followUps: 3, converted: 2, conversionRate: 100, won: 2, wonAmount: 130_000, customers: 2 },
      { owner: '钱业务', leads: 2, followUps: 1, converted: 1, conversionRate: 50, won: 1, wonAmount: 50_000, customers: 1 },
      { owner: '孙业务', leads: 3, followUps: 2, converted: 1, conversionRate: 33.3, won: 0, wonAmount: 0, customers: 2 },
    ]);
    expect(figures(body)).toEqual({ leads: 7, followUps: 6, converted: 4, won: 3, wonAmount: 180_000, customers: 5 });
  });

  it('a manager’s figures exclude other departments; a salesperson sees their own line', async () => {
    expect(rows(await report('owner-performance', tokens.manager), 'by-owner').map((r: any) => r.owner)).toEqual(['赵业务', '钱业务']);
    expect(rows(await report('owner-performance', people.qian.token), 'by-owner')).toEqual([
      { owner: '钱业务', leads: 2, followUps: 1, converted: 1, conversionRate: 50, won: 1, wonAmount: 50_000, customers: 1 },
    ]);
  });

  it('exports the amounts in 元', async () => {
    const { book } = await workbook('owner-performance', tokens.admin);
    const sheet = book.getWorksheet('按业务员')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '业务员', '负责线索', '跟进次数', '转化线索', '转化率(%)', '赢单数', '赢单金额(元)', '名下客户']);
    expect(sheet.getRow(2).values).toEqual([undefined, '赵业务', 2, 3, 2, 100, 2, 1300, 2]);
    expect(sheetRows(book, '概览')).toContainEqual(['赢单金额(元)', 1800]);
  });
});

describe('customer-stats', () => {
  it('by region, industry and grade, owned and in the pool, new in the period', async () => {
    const body = await report('customer-stats', tokens.admin);
    expect(figures(body)).toEqual({ total: 7, owned: 5, pool: 2, added: 4 });
    expect(rows(body, 'by-region')).toEqual([
      { region: '宁波', total: 2, owned: 1, pool: 1, added: 1 },
      { region: '广州', total: 2, owned: 1, pool: 1, added: 2 },
      { region: '杭州', total: 2, owned: 2, pool: 0, added: 0 },
      { region: '深圳', total: 1, owned: 1, pool: 0, added: 1 },
    ]);
    expect(rows(body, 'by-industry')).toEqual([
      { industry: '制造业', total: 4, owned: 4, pool: 0, added: 2 },
      { industry: '零售', total: 2, owned: 1, pool: 1, added: 1 },
      { industry: '未填写', total: 1, owned: 0, pool: 1, added: 1 },
    ]);
    expect(rows(body, 'by-grade')).toEqual([
      { grade: 'A', total: 3, owned: 3, pool: 0, added: 1 },
      { grade: 'B', total: 2, owned: 2, pool: 0, added: 1 },
      { grade: 'C', total: 1, owned: 0, pool: 1, added: 1 },
      { grade: '未填写', total: 1, owned: 0, pool: 1, added: 1 },
    ]);
    expect(rows(body, 'ownership')).toEqual([
      { state: '有专管业务员', count: 5 },
      { state: '公海', count: 2 },
    ]);
  });

  it('a manager counts their subtree; a salesperson their own and shared customers; a marketer all', async () => {
    expect(figures(await report('customer-stats', tokens.manager))).toEqual({ total: 4, owned: 3, pool: 1, added: 1 });
    // 钱: c (own) and g (shared by 孙).
    expect(figures(await report('customer-stats', people.qian.token))).toEqual({ total: 2, owned: 2, pool: 0, added: 1 });
    expect(figures(await report('customer-stats', tokens.marketer))).toEqual({ total: 7, owned: 5, pool: 2, added: 4 });
  });
});
