// Service reports against a population with known answers (service-fixture.ts), through the real
// HTTP server: each report's figures exactly, the department filter and scope, and the Excel export.
import { describe, expect, it } from 'vitest';
import { Feedback } from '../../src/modules/service/feedback.model.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { figures, PERIOD, reportClient, rows, sheetRows } from './report-client.js';
import { cn, createServiceWorld, number, type Departments } from './service-fixture.js';

let server: TestServer;
let departments: Departments;
let admin: string;
let eastManager: string;
let westDispatcher: string;

useTestServer(async (started) => {
  server = started;
  ({ departments, admin, eastManager, westDispatcher } = await createServiceWorld());
});

const { report, workbook } = reportClient(() => server.url);

describe('the fixture', () => {
  it('keeps the creation times it was given (the reports depend on them)', async () => {
    const first = await Feedback.findOne({ number: number(1) }).lean();
    expect(first?.createdAt.toISOString()).toBe(cn('2026-10-01 09:00').toISOString());
  });
});

describe('service-volume', () => {
  it('counts the period’s requests by day and type, status and product line (admin: all 12)', async () => {
    const body = await report('service-volume', admin);
    expect(body.period).toEqual({ from: '2026-10-01', to: '2026-10-07', granularity: 'day' });
    expect(figures(body)).toEqual({ total: 12, completed: 7, open: 5, completionRate: 58.3 });
    expect(rows(body, 'by-time')).toEqual([
      { bucket: '2026-10-01', repair: 3, installation: 0, maintenance: 0, complaint: 0, suggestion: 0, consultation: 0, total: 3 },
      { bucket: '2026-10-02', repair: 1, installation: 1, maintenance: 0, complaint: 0, suggestion: 0, consultation: 0, total: 2 },
      { bucket: '2026-10-03', repair: 0, installation: 2, maintenance: 0, complaint: 0, suggestion: 0, consultation: 0, total: 2 },
      { bucket: '2026-10-04', repair: 1, installation: 0, maintenance: 1, complaint: 0, suggestion: 0, consultation: 0, total: 2 },
      { bucket: '2026-10-05', repair: 0, installation: 0, maintenance: 1, complaint: 0, suggestion: 0, consultation: 0, total: 1 },
      { bucket: '2026-10-06', repair: 0, installation: 1, maintenance: 0, complaint: 0, suggestion: 0, consultation: 0, total: 1 },
      { bucket: '2026-10-07', repair: 0, installation: 0, maintenance: 1, complaint: 0, suggestion: 0, consultation: 0, total: 1 },
    ]);
    expect(rows(body, 'by-status')).toEqual([
      { status: '待派工', count: 2 },
      { status: '已派工', count: 1 },
      { status: '已接单', count: 0 },
      { status: '处理中', count: 2 },
      { status: '已完成', count: 7 },
    ]);
    expect(rows(body, 'by-product-line')).toEqual([
      { productLine: '空调', count: 7, completed: 4 },
      { productLine: '热水器', count: 3, completed: 2 },
      { productLine: '净水器', count: 2, completed: 1 },
    ]);
  });

  it('by week and month: the buckets of the period', async () => {
    const weekly = await report('service-volume', admin, `${PERIOD}&granularity=week`);
    // 2026-10-01 is a Thursday: its week (Monday 09-28) holds 10-01..04, the next 10-05..07.
    expect(rows(weekly, 'by-time').map((r: any) => [r.bucket, r.total])).toEqual([
      ['2026-09-28周', 9],
      ['2026-10-05周', 3],
    ]);
    const monthly = await report('service-volume', admin, `from=2026-09-01&to=2026-10-31&granularity=month`);
    expect(rows(monthly, 'by-time').map((r: any) => [r.bucket, r.total])).toEqual([
      ['2026-09', 1],
      ['2026-10', 13],
    ]);
  });

  it('a manager sees the subtree of their department only; a department filter narrows it', async () => {
    expect(figures(await report('service-volume', eastManager))).toEqual({ total: 7, completed: 5, open: 2, completionRate: 71.4 });
    expect(figures(await report('service-volume', eastManager, `${PERIOD}&department=${departments.eastOne}`))).toMatchObject({ total: 2, completed: 2 });
    expect(figures(await report('service-volume', admin, `${PERIOD}&department=${departments.west}`))).toMatchObject({ total: 5, completed: 2 });
    expect(figures(await report('service-volume', westDispatcher))).toMatchObject({ total: 5, completed: 2 });
  });

  it('refuses a department outside the caller’s scope', async () => {
    const response = await call(server.url, `/api/v1/reports/service-volume?${PERIOD}&department=${departments.west}`, { token: eastManager });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('REPORT_DEPARTMENT_FORBIDDEN');
  });
});

describe('service-times', () => {
  it('averages and medians of response and completion, and the overdue rate against the requested time', async () => {
    const body = await report('service-times', admin);
    // Responses (h): 1,2,3,1,2,4,1,5,2 → mean 21/9, median 2. Completions: 4,10,24,6,8,2,20 → mean 74/7, median 8.
    // Against the requested time (completed): -4, +2, -24, -4, -2, +10 → mean -22/6.
    // Overdue: #2 and #9 completed late, #4 open past its time → 3 of the 8 with a requested time.
    expect(figures(body)).toEqual({
      count: 12,
      avgResponse: 2.3,
      medianResponse: 2,
      avgCompletion: 10.6,
      medianCompletion: 8,
      avgVsRequested: -3.7,
      overdueRate: 37.5,
      overdue: 3,
    });
    expect(rows(body, 'by-type')).toEqual([
      // repair #1,#2,#6,#8,#9: responses 1,2,2,1,5; completions 4,10,6,2,20; overdue #2,#9 of 4 with a time.
      { type: '报修', count: 5, avgResponse: 2.2, medianResponse: 2, avgCompletion: 8.4, medianCompletion: 6, overdueRate: 50 },
      // installation #3,#4,#10,#11: responses 3,1,2; completion 24; overdue #4 of 3.
      { type: '安装', count: 4, avgResponse: 2, medianResponse: 2, avgCompletion: 24, medianCompletion: 24, overdueRate: 33.3 },
      // maintenance #5,#7,#12: response 4, completion 8, on time.
      { type: '保养', count: 3, avgResponse: 4, medianResponse: 4, avgCompletion: 8, medianCompletion: 8, overdueRate: 0 },
    ]);
    expect(rows(body, 'by-time')[0]).toEqual({ bucket: '2026-10-01', count: 3, avgResponse: 1.3, medianResponse: 1, avgCompletion: 5.3, medianCompletion: 4, overdueRate: 33.3 });
  });
});

describe('engineer-ratings', () => {
  it('per engineer and per product line: count, averages, share of low scores', async () => {
    const body = await report('engineer-ratings', admin);
    expect(figures(body)).toEqual({ count: 6, overall: 3.5, lowShare: 33.3 });
    expect(rows(body, 'by-engineer')).toEqual([
      { engineer: '甲工程师', count: 3, timeliness: 3.3, attitude: 4, quality: 4, overall: 3.8, lowShare: 33.3 },
      { engineer: '丙工程师', count: 2, timeliness: 3, attitude: 2.5, quality: 3, overall: 2.8, lowShare: 50 },
      { engineer: '乙工程师', count: 1, timeliness: 4, attitude: 4, quality: 4, overall: 4, lowShare: 0 },
    ]);
    expect(rows(body, 'by-product-line')).toEqual([
      { productLine: '空调', count: 4, timeliness: 2.8, attitude: 3.3, quality: 3.3, overall: 3.1, lowShare: 50 },
      { productLine: '净水器', count: 1, timeliness: 5, attitude: 4, quality: 5, overall: 4.7, lowShare: 0 },
      { productLine: '热水器', count: 1, timeliness: 4, attitude: 4, quality: 4, overall: 4, lowShare: 0 },
    ]);
  });

  it('a manager’s figures leave other departments out', async () => {
    // 东区 + 东一组: #1, #2, #3, #6, #7 (60 points in 15 scores) — without 西区's #8 (丙's 1-1-1).
    const body = await report('engineer-ratings', eastManager);
    expect(figures(body)).toEqual({ count: 5, overall: 4, lowShare: 20 });
    expect(rows(body, 'by-engineer').find((r: any) => r.engineer === '丙工程师')).toMatchObject({ count: 1, overall: 4.7 });
  });
});

describe('engineer-workload', () => {
  it('open orders now, orders completed and dispatched in the period, per engineer', async () => {
    const body = await report('engineer-workload', admin);
    expect(figures(body)).toEqual({ dispatched: 11, completed: 7, open: 4, engineers: 4 });
    expect(rows(body, 'by-engineer')).toEqual([
      { engineer: '甲工程师', open: 1, completed: 3, dispatched: 3, rejected: 0 },
      { engineer: '丙工程师', open: 0, completed: 3, dispatched: 4, rejected: 0 },
      // Equal load (open + completed): by name, in pinyin order.
      { engineer: '丁工程师', open: 2, completed: 0, dispatched: 2, rejected: 0 },
      { engineer: '乙工程师', open: 1, completed: 1, dispatched: 2, rejected: 0 },
    ]);
  });

  it('a manager counts the orders of their departments’ requests, whoever the engineer', async () => {
    const body = await report('engineer-workload', eastManager);
    expect(rows(body, 'by-engineer')).toEqual([
      { engineer: '甲工程师', open: 1, completed: 3, dispatched: 3, rejected: 0 },
      { engineer: '乙工程师', open: 1, completed: 1, dispatched: 2, rejected: 0 },
      { engineer: '丙工程师', open: 0, completed: 1, dispatched: 1, rejected: 0 },
    ]);
  });
});

describe('dispatch-calendar', () => {
  it('engineers × days with the orders’ numbers and times; cancelled orders are left off', async () => {
    const body = await report('dispatch-calendar', admin);
    expect(body.calendar.days).toEqual(['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07']);
    const cells = Object.fromEntries(
      body.calendar.engineers.map((e: any) => [e.name, Object.fromEntries(Object.entries(e.cells).map(([day, list]: [string, any]) => [day, list.map((x: any) => `${x.number} ${x.time}`)]))]),
    );
    expect(cells).toEqual({
      丁工程师: { '2026-10-03': [`${number(10)} 12:00`], '2026-10-06': [`${number(11)} 11:30`] },
      丙工程师: { '2026-10-01': [`${number(8)} 11:30`], '2026-10-02': [`${number(9)} 11:30`], '2026-10-05': [`${number(7)} 09:30`] },
      乙工程师: { '2026-10-02': [`${number(3)} 09:30`], '2026-10-03': [`${number(4)} 09:30`] },
      甲工程师: { '2026-10-01': [`${number(1)} 09:30`, `${number(2)} 10:30`], '2026-10-04': [`${number(6)} 10:30`] },
    });
    expect(body.calendar.engineers.find((e: any) => e.name === '丁工程师').cells['2026-10-03'][0]).toMatchObject({ status: 'pending', statusLabel: '待接单' });
    expect(figures(body)).toEqual({ orders: 10, engineers: 4 });
  });

  it('shows at most a month', async () => {
    const response = await call(server.url, '/api/v1/reports/dispatch-calendar?from=2026-10-01&to=2026-11-05', { token: admin });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('REPORT_PERIOD_TOO_LONG');
  });
});

describe('Excel export', () => {
  it('format=xlsx: the same figures, in Chinese sheets and columns', async () => {
    const { headers, book } = await workbook('service-volume', admin);
    expect(headers.get('content-type')).toContain('spreadsheetml');
    expect(headers.get('content-disposition')).toContain(encodeURIComponent('服务请求量'));
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['概览', '按时间与类型', '按状态', '按产品线']);
    const values = (name: string) => sheetRows(book, name);
    expect(values('概览')).toContainEqual(['请求总数', 12]);
    expect(values('概览')).toContainEqual(['完成率(%)', 58.3]);
    expect(values('按产品线')).toEqual([
      ['产品线', '请求数', '已完成'],
      ['空调', 7, 4],
      ['热水器', 3, 2],
      ['净水器', 2, 1],
    ]);
    expect(values('按时间与类型')[0]).toEqual(['时间', '报修', '安装', '保养', '投诉', '建议', '咨询', '合计']);
    expect(values('按时间与类型')[1]).toEqual(['2026-10-01', 3, 0, 0, 0, 0, 0, 3]);
  });

  it('the calendar exports one row per engineer with the day’s orders in the cell', async () => {
    const { book } = await workbook('dispatch-calendar', westDispatcher);
    const sheet = book.getWorksheet('派工日历')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '工程师', '10-01', '10-02', '10-03', '10-04', '10-05', '10-06', '10-07', '合计']);
    // 西区's requests: #8, #9 (丙), #10, #11 (丁) — #7 (东一组) is not theirs.
    const byName = Object.fromEntries([2, 3].map((r) => [sheet.getRow(r).getCell(1).value, sheet.getRow(r).getCell(9).value]));
    expect(byName).toEqual({ 丁工程师: 2, 丙工程师: 2 });
    expect(sheet.getRow(2).getCell(2).value).toBe(`${number(8)} 11:30（已完成）`);
  });
});
