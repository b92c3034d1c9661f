// The workbench's cards, one builder per group. Each card counts what its link lists: the console
// page opened from a card shows the same records with the filter in its query string.
import type { FollowerSyncState, WorkbenchCard, WorkbenchCardKey, WorkbenchTone } from '@qiao/shared';
import { chinaDate } from '../../lib/china-time.js';
import { countOwnedCustomers, countPoolCustomers, countReturningCustomers } from '../customers/workbench.counts.js';
import type { StaffPrincipal } from '../identity/principal.js';
import { countDueFollowRecords } from '../leads/follow-record.service.js';
import { countCampaignLeadsSince, countLeadsWithStatus, countOpenLeads, countOpenOpportunities, countOwnOpenLeads, leadsVisibleTo } from '../leads/workbench.counts.js';
import { countCampaignsWithStatus } from '../marketing/workbench.counts.js';
import { followerSyncStatus } from '../official-account/follower-sync.service.js';
import {
  countCompletedSince,
  countCreatedSince,
  countEngineerOrders,
  countOpenFollowUps,
  countOverdue,
  countWaitingDispatch,
} from '../service/workbench.counts.js';
import { todayStart, weekStart } from './time.js';

type Condition = Record<string, unknown>;

function card(key: WorkbenchCardKey, title: string, value: number, link: string | null, extra: { unit?: string; hint?: string; tone?: WorkbenchTone } = {}): WorkbenchCard {
  return { key, title, value, link, ...extra };
}

/** Something waiting is a warning (or worse); nothing waiting is calm. */
const waiting = (value: number, tone: WorkbenchTone = 'warning'): WorkbenchTone => (value > 0 ? tone : 'default');

/** 待派工 / 超期 / 待回访 / today's volume, within `scope` (a department condition). */
export async function serviceCards(scope: Condition, now: Date): Promise<WorkbenchCard[]> {
  const today = todayStart(now);
  const [waitingDispatch, overdue, followUps, createdToday, completedToday] = await Promise.all([
    countWaitingDispatch(scope),
    countOverdue(scope, now),
    countOpenFollowUps(scope),
    countCreatedSince(scope, today),
    countCompletedSince(scope, today),
  ]);
  const date = chinaDate(now);
  return [
    card('service-waiting', '待派工', waitingDispatch, '/service/requests?status=submitted', { unit: '单', tone: waiting(waitingDispatch) }),
    card('service-overdue', '超期', overdue, '/service/requests?overdue=true', { unit: '单', tone: waiting(overdue, 'danger'), hint: '已过客户要求完成时间' }),
    card('service-follow-ups', '待回访', followUps, '/service/follow-ups', { unit: '个', tone: waiting(followUps) }),
    card('service-created-today', '今日新增', createdToday, `/service/requests?from=${date}&to=${date}`, { unit: '单', tone: 'info' }),
    card('service-completed-today', '今日完成', completedToday, '/service/requests?status=completed', { unit: '单', tone: 'success' }),
  ];
}

/** A salesperson's own: open leads, due follow-ups, customers, those returning to the pool, the pool, open opportunities. */
export async function ownSalesCards(viewer: StaffPrincipal, now: Date): Promise<WorkbenchCard[]> {
  const mine = { ownerId: viewer.staffId };
  const [openLeads, due, owned, returning, pool, opportunities] = await Promise.all([
    // Own and shared leads, as the lead list shows them.
    countOwnOpenLeads(viewer.staffId),
    countDueFollowRecords(viewer, now),
    countOwnedCustomers(viewer.staffId),
    countReturningCustomers(mine),
    countPoolCustomers(),
    countOpenOpportunities(mine),
  ]);
  return [
    card('leads-open', '我的线索', openLeads, '/sales/leads?mine=1', { unit: '条', hint: '自己的和协作的，未转化、未关闭' }),
    card('follow-ups-due', '今日待跟进', due, null, { unit: '条', tone: waiting(due), hint: '今天到期和已逾期的跟进' }),
    card('customers-owned', '我的客户', owned, '/sales/customers?owner=mine', { unit: '个' }),
    card('customers-returning', '即将回到公海', returning, '/sales/customers?owner=mine', { unit: '个', tone: waiting(returning, 'danger'), hint: '尽快跟进以免被收回' }),
    card('pool-size', '公海客户', pool, '/sales/pool', { unit: '个', tone: 'info' }),
    card('opportunities-open', '我的商机', opportunities, '/sales/opportunities?mine=1&stage=open', { unit: '个', hint: '跟进中的商机' }),
  ];
}

/** A manager's (or admin's) view of sales in `scope`: leads, due follow-ups, returning customers, the pool, opportunities. */
export async function teamSalesCards(viewer: StaffPrincipal, scope: Condition, now: Date): Promise<WorkbenchCard[]> {
  // Leads by the lead rule (the subtree and the unassigned intake), the rest by department.
  const leads = await leadsVisibleTo(viewer);
  const [openLeads, unassigned, due, returning, pool, opportunities] = await Promise.all([
    countOpenLeads(leads),
    countLeadsWithStatus(leads, 'new'),
    countDueFollowRecords(viewer, now),
    countReturningCustomers(scope),
    countPoolCustomers(scope),
    countOpenOpportunities(scope),
  ]);
  return [
    card('leads-unassigned', '待分配线索', unassigned, '/sales/leads?status=new', { unit: '条', tone: waiting(unassigned) }),
    card('leads-open', '跟进中的线索', openLeads, '/sales/leads', { unit: '条', hint: '未转化、未关闭' }),
    card('follow-ups-due', '今日待跟进', due, null, { unit: '条', tone: waiting(due), hint: '今天到期和已逾期的跟进' }),
    card('customers-returning', '即将回到公海', returning, '/sales/customers', { unit: '个', tone: waiting(returning, 'danger') }),
    card('pool-size', '公海客户', pool, '/sales/pool', { unit: '个', tone: 'info' }),
    card('opportunities-open', '跟进中的商机', opportunities, '/sales/opportunities?stage=open', { unit: '个' }),
  ];
}

/** Campaigns running and scheduled, and the leads campaigns brought this week. */
export async function marketingCards(now: Date): Promise<WorkbenchCard[]> {
  const since = weekStart(now);
  const [running, scheduled, leads] = await Promise.all([
    countCampaignsWithStatus('running'),
    countCampaignsWithStatus('scheduled'),
    countCampaignLeadsSince(since),
  ]);
  return [
    card('campaigns-running', '进行中的方案', running, '/marketing/campaigns?status=running', { unit: '个', tone: running > 0 ? 'success' : 'default' }),
    card('campaigns-scheduled', '定时待发', scheduled, '/marketing/campaigns?status=scheduled', { unit: '个', tone: 'info' }),
    card('campaign-leads-week', '本周营销线索', leads, `/sales/leads?source=campaign&from=${chinaDate(since)}`, { unit: '条', hint: '本周一以来营销方案带来的线索' }),
  ];
}

/** An engineer's own work orders (they work in the mini-program: nothing to open in the console). */
export async function engineerCards(staffId: string): Promise<WorkbenchCard[]> {
  const { pending, accepted } = await countEngineerOrders(staffId);
  return [
    card('orders-pending', '待接单', pending, null, { unit: '单', tone: waiting(pending), hint: '请在小程序“我的工单”中处理' }),
    card('orders-accepted', '处理中', accepted, null, { unit: '单', tone: 'info' }),
  ];
}

const syncLabels: Record<FollowerSyncState, string> = { never: '从未同步', queued: '等待同步', running: '同步中', done: '已完成', failed: '同步失败' };

/** The follower sync's state (one read by `_id`). */
export async function systemCards(appid: string): Promise<WorkbenchCard[]> {
  const sync = await followerSyncStatus(appid);
  const failed = sync.status === 'failed';
  return [
    card('follower-sync', '粉丝同步', sync.fetched, '/system/follower-sync', {
      unit: '人',
      tone: failed ? 'danger' : sync.status === 'never' ? 'warning' : 'default',
      hint: syncLabels[sync.status],
    }),
  ];
}
