// The workbench per role and the menu badges, against a population with known counts: a
// dispatcher counts their department's subtree only, a salesperson their own records, a manager
// their subtree, admin everything.
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Workbench } from '@qiao/shared';
import { clearBadgeCache } from '../../src/modules/workbench/workbench.service.js';
import { weekStart } from '../../src/modules/workbench/time.js';
import { adminToken } from '../helpers/factories.js';
import { call, useTestServer, type TestServer } from '../helpers/server.js';
import { buildFixture, insertRequest, type Fixture } from './fixture.js';

let server: TestServer;
let admin: string;
let fixture: Fixture;
useTestServer((started) => {
  server = started;
});

beforeAll(async () => {
  admin = await adminToken(server);
  fixture = await buildFixture(server, admin);
});

beforeEach(() => clearBadgeCache());

async function workbench(token: string): Promise<Workbench> {
  const response = await call<Workbench>(server.url, '/api/v1/workbench', { token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** `{ key: value }` of every card, and the groups in order. */
async function values(token: string): Promise<{ groups: string[]; cards: Record<string, number>; body: Workbench }> {
  const body = await workbench(token);
  const cards: Record<string, number> = {};
  for (const group of body.groups) for (const card of group.cards) cards[`${group.key}:${card.key}`] = card.value;
  return { groups: body.groups.map((group) => group.key), cards, body };
}

/** The service group's five cards as `values` gives them. */
function serviceCards({ waiting, overdue, followUps, createdToday, completedToday }: Record<'waiting' | 'overdue' | 'followUps' | 'createdToday' | 'completedToday', number>) {
  return {
    'service:service-waiting': waiting,
    'service:service-overdue': overdue,
    'service:service-follow-ups': followUps,
    'service:service-created-today': createdToday,
    'service:service-completed-today': completedToday,
  };
}

async function badges(token: string): Promise<Record<string, number>> {
  const response = await call<Record<string, number>>(server.url, '/api/v1/workbench/badges', { token });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

describe('GET /workbench', () => {
  it('needs a staff session', async () => {
    expect((await call(server.url, '/api/v1/workbench')).status).toBe(401);
    expect((await call(server.url, '/api/v1/workbench/badges')).status).toBe(401);
  });

  it('a dispatcher counts the requests of their department and its sub-departments only', async () => {
    const east = await values(fixture.staff.dispatcherEast.token);
    expect(east.groups).toEqual(['service']);
    expect(east.cards).toEqual(serviceCards({ waiting: 3, overdue: 3, followUps: 2, createdToday: 2, completedToday: 1 }));
    expect((await values(fixture.staff.dispatcherEastSub.token)).cards).toEqual(serviceCards({ waiting: 1, overdue: 1, followUps: 0, createdToday: 1, completedToday: 0 }));
    expect((await values(fixture.staff.dispatcherWest.token)).cards).toEqual(serviceCards({ waiting: 3, overdue: 0, followUps: 1, createdToday: 4, completedToday: 1 }));
  });

  it('cards link to the list that shows what they count', async () => {
    const { body } = await values(fixture.staff.dispatcherEast.token);
    const links = Object.fromEntries(body.groups[0]!.cards.map((card) => [card.key, card.link]));
    expect(links['service-waiting']).toBe('/service/requests?status=submitted');
    expect(links['service-overdue']).toBe('/service/requests?overdue=true');
    expect(links['service-follow-ups']).toBe('/service/follow-ups');
    expect(links['service-created-today']).toMatch(/^\/service\/requests\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    // The linked list, with the card's filter, counts the same requests.
    for (const key of ['service-waiting', 'service-overdue', 'service-created-today'] as const) {
      const card = body.groups[0]!.cards.find((c) => c.key === key)!;
      const list = await call(server.url, `/api/v1/feedbacks${card.link!.slice('/service/requests'.length)}`, { token: fixture.staff.dispatcherEast.token });
      expect(list.status, JSON.stringify(list.body)).toBe(200);
      expect(list.body.total, key).toBe(card.value);
    }
  });

  it('a salesperson sees their own leads and customers, and the pool', async () => {
    const sales = await values(fixture.staff.sales1.token);
    expect(sales.groups).toEqual(['sales']);
    expect(sales.cards).toEqual({
      // Own 3 and 1 shared by a colleague.
      'sales:leads-open': 4,
      'sales:follow-ups-due': 2,
      'sales:opportunities-open': 2,
      'sales:customers-owned': 3,
      'sales:customers-returning': 1,
      'sales:pool-size': 3,
    });
    // Due follow-ups, oldest first; yesterday's is overdue.
    const due = sales.body.lists.find((list) => list.key === 'due-follow-ups')!;
    expect(due.items.map((item) => [item.title.split(' · ')[0], item.urgent])).toEqual([
      ['线索', true],
      ['客户', false],
    ]);
    const other = await values(fixture.staff.sales2.token);
    expect(other.cards).toMatchObject({ 'sales:leads-open': 2, 'sales:customers-owned': 1, 'sales:customers-returning': 1, 'sales:follow-ups-due': 0, 'sales:opportunities-open': 1 });
    expect(other.body.lists[0]!.items).toEqual([]);
  });

  it('a manager sees the service and sales figures of their subtree and the leads waiting for assignment', async () => {
    const manager = await values(fixture.staff.managerEast.token);
    expect(manager.groups).toEqual(['service', 'sales']);
    expect(manager.cards).toMatchObject({
      'service:service-waiting': 3,
      'service:service-overdue': 3,
      'service:service-follow-ups': 2,
      // 东区's and the intake without a department (lead-visibility.ts), not 西区's.
      'sales:leads-unassigned': 3,
      'sales:leads-open': 6,
      'sales:customers-returning': 1,
      'sales:pool-size': 2,
      'sales:follow-ups-due': 2,
      'sales:opportunities-open': 2,
    });
  });

  it('admin sees everything, campaigns and the follower sync', async () => {
    const all = await values(admin);
    expect(all.groups).toEqual(['service', 'sales', 'marketing', 'system']);
    expect(all.cards).toMatchObject({
      ...serviceCards({ waiting: 6, overdue: 3, followUps: 3, createdToday: 6, completedToday: 2 }),
      'sales:leads-unassigned': 4,
      'sales:leads-open': 9,
      'sales:customers-returning': 2,
      'sales:pool-size': 3,
      'sales:follow-ups-due': 2,
      'sales:opportunities-open': 3,
      'marketing:campaigns-running': 2,
      'marketing:campaigns-scheduled': 1,
    });
    const sync = all.body.groups.find((group) => group.key === 'system')!.cards[0]!;
    expect(sync).toMatchObject({ key: 'follower-sync', link: '/system/follower-sync' });
  });

  it('a marketer sees campaigns, this week’s campaign leads and the latest results', async () => {
    const marketer = await values(fixture.staff.marketer.token);
    expect(marketer.groups).toEqual(['marketing']);
    expect(marketer.cards).toEqual({
      'marketing:campaigns-running': 2,
      'marketing:campaigns-scheduled': 1,
      'marketing:campaign-leads-week': 2,
    });
    const week = marketer.body.groups[0]!.cards.find((card) => card.key === 'campaign-leads-week')!;
    expect(week.link).toBe(`/sales/leads?source=campaign&from=${new Date(weekStart(fixture.now).getTime() + 8 * 3600_000).toISOString().slice(0, 10)}`);
    const results = marketer.body.lists.find((list) => list.key === 'campaign-results')!;
    // Started campaigns only (not the scheduled or the draft), newest first.
    expect(results.items).toHaveLength(2);
    expect(results.items[0]!.id).toBe(fixture.campaigns.withLeads);
    expect(Object.fromEntries(results.items[0]!.figures!.map((f) => [f.label, f.value]))).toEqual({ 送达: 0, 阅读: 0, 访客: 25, 意向: 9, 线索: 7 });
  });

  it('an engineer sees their own work orders', async () => {
    const engineer = await values(fixture.staff.engineer.token);
    expect(engineer.groups).toEqual(['work']);
    expect(engineer.cards).toEqual({ 'work:orders-pending': 2, 'work:orders-accepted': 2 });
  });
});

describe('GET /workbench/badges', () => {
  it('counts what waits on each page the role uses, leaving out zeros', async () => {
    expect(await badges(fixture.staff.dispatcherEast.token)).toEqual({ '/service/requests': 3, '/service/follow-ups': 2 });
    expect(await badges(fixture.staff.dispatcherEastSub.token)).toEqual({ '/service/requests': 1 });
    expect(await badges(fixture.staff.dispatcherWest.token)).toEqual({ '/service/requests': 3, '/service/follow-ups': 1 });
    expect(await badges(fixture.staff.sales1.token)).toEqual({ '/sales/leads': 2, '/sales/pool': 1 });
    expect(await badges(fixture.staff.managerEast.token)).toEqual({ '/service/requests': 3, '/service/follow-ups': 2, '/sales/leads': 3 });
    expect(await badges(admin)).toEqual({ '/service/requests': 6, '/service/follow-ups': 3, '/sales/leads': 4 });
    expect(await badges(fixture.staff.marketer.token)).toEqual({});
    expect(await badges(fixture.staff.engineer.token)).toEqual({});
  });

  it('reuses a person’s counts for a few seconds, then counts again', async () => {
    const token = fixture.staff.dispatcherWest.token;
    expect((await badges(token))['/service/requests']).toBe(3);
    await insertRequest({ department: fixture.departments.west, status: 'submitted', createdAt: new Date() });
    // Polls in parallel share one set of counts, and a poll within the cache time the same answer.
    const again = await Promise.all([badges(token), badges(token), badges(token)]);
    expect(again.map((b) => b['/service/requests'])).toEqual([3, 3, 3]);
    clearBadgeCache();
    expect((await badges(token))['/service/requests']).toBe(4);
    // Another person of the same department is counted for themselves.
    expect((await badges(fixture.staff.dispatcherEast.token))['/service/requests']).toBe(3);
  });
});
