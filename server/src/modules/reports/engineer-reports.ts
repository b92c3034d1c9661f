// Engineers' work in the period: workload per engineer and the dispatch calendar (派工日历). Work
// orders carry no department; they are in scope when their request is.
import { workOrderStatusLabels, type CalendarEntry, type WorkOrderStatus } from '@qiao/shared';
import { chinaDate, chinaDateTime } from '../../lib/china-time.js';
import { staffByIds } from '../identity/lookup.service.js';
import { staffOfRoles } from '../identity/report.stats.js';
import { idsInclude } from '../org/scope.js';
import {
  engineerOrderCounts,
  openRequestsOf,
  requestRefs,
  workOrdersCompletedBetween,
  workOrdersDispatchedBetween,
  type RequestRef,
  type WorkOrderStats,
} from '../service/report.stats.js';
import type { ReportAccess } from './access.js';
import { periodDayList, type Period } from './period.js';
import type { ReportBody } from './service-reports.js';
import { col, figure, label, table, Tally } from './table.js';

/** The orders whose request lies in scope, with the requests they belong to. */
async function scoped(access: ReportAccess, orders: WorkOrderStats[]): Promise<{ orders: WorkOrderStats[]; refs: Map<string, RequestRef> }> {
  const refs = await requestRefs(orders.map((order) => order.feedbackId));
  return { orders: inScope(access, orders, refs), refs };
}

const inScope = (access: ReportAccess, orders: WorkOrderStats[], refs: Map<string, RequestRef>) =>
  orders.filter((order) => refs.has(order.feedbackId) && idsInclude(access.departments, refs.get(order.feedbackId)!.department));

/** Engineers to list: the active ones of the scope, and whoever holds an order in it. */
async function engineerNames(access: ReportAccess, assignees: Iterable<string>): Promise<Map<string, string>> {
  const names = new Map((await staffOfRoles(['engineer'], access.departments)).filter((s) => s.active).map((s) => [s.id, s.name]));
  const missing = [...new Set(assignees)].filter((id) => !names.has(id));
  for (const [id, card] of await staffByIds(missing)) names.set(id, card.name);
  return names;
}

/**
 * Every order in scope counted per engineer. Company-wide (admin): indexed counts per engineer, no
 * order read. Within departments (orders carry none): the orders of the period are read with their
 * requests, and the open ones counted per engineer on the requests of the departments.
 */
async function workloadTally(access: ReportAccess, period: Period): Promise<Tally> {
  const tally = new Tally();
  if (access.departments === null) {
    const engineers = await staffOfRoles(['engineer'], null);
    const counts = await Promise.all(engineers.map(async (engineer) => [engineer.id, await engineerOrderCounts(engineer.id, period.start, period.end)] as const));
    for (const [id, count] of counts) for (const [column, n] of Object.entries(count)) if (n > 0) tally.add(id, column, n);
    return tally;
  }
  const [dispatchedAll, completedAll, engineers] = await Promise.all([
    workOrdersDispatchedBetween(period.start, period.end),
    workOrdersCompletedBetween(period.start, period.end),
    staffOfRoles(['engineer'], null),
  ]);
  const refs = await requestRefs([...dispatchedAll, ...completedAll].map((order) => order.feedbackId));
  for (const order of inScope(access, dispatchedAll, refs)) {
    tally.add(order.assigneeId, 'dispatched');
    if (order.status === 'rejected') tally.add(order.assigneeId, 'rejected');
  }
  for (const order of inScope(access, completedAll, refs)) tally.add(order.assigneeId, 'completed');
  // Open now (not bounded by the period): counted per engineer on the requests of the departments.
  const departments = access.departments;
  const open = await Promise.all(engineers.map(async (engineer) => [engineer.id, await openRequestsOf(engineer.id, departments)] as const));
  for (const [id, n] of open) if (n > 0) tally.add(id, 'open', n);
  return tally;
}

export async function engineerWorkload(access: ReportAccess, period: Period): Promise<ReportBody> {
  const tally = await workloadTally(access, period);
  const names = await engineerNames(access, tally.keys());
  const ids = [...new Set([...names.keys(), ...tally.keys()])].sort(
    (a, b) => tally.get(b, 'open') + tally.get(b, 'completed') - (tally.get(a, 'open') + tally.get(a, 'completed')) || (names.get(a) ?? '').localeCompare(names.get(b) ?? '', 'zh-CN'),
  );
  const sum = (column: string) => ids.reduce((total, id) => total + tally.get(id, column), 0);
  return {
    figures: [
      figure('dispatched', '期间派工', sum('dispatched')),
      figure('completed', '期间完成', sum('completed')),
      figure('open', '当前未完成', sum('open')),
      figure('engineers', '工程师人数', ids.length),
    ],
    tables: [
      table(
        'by-engineer',
        '按工程师',
        'stacked',
        [label('engineer', '工程师'), col('open', '当前未完成'), col('completed', '期间完成'), col('dispatched', '期间派工', 'number', false), col('rejected', '期间拒单', 'number', false)],
        ids.map((id) => ({
          engineer: names.get(id) ?? '已删除职员',
          open: tally.get(id, 'open'),
          completed: tally.get(id, 'completed'),
          dispatched: tally.get(id, 'dispatched'),
          rejected: tally.get(id, 'rejected'),
        })),
      ),
    ],
    calendar: null,
  };
}

/** Orders that are not the engineer's work (any more) stay off the calendar. */
const OFF_CALENDAR = new Set(['rejected', 'cancelled']);

export async function dispatchCalendar(access: ReportAccess, period: Period): Promise<ReportBody> {
  const { orders, refs } = await scoped(access, await workOrdersDispatchedBetween(period.start, period.end));
  const days = periodDayList(period);
  const cells = new Map<string, Record<string, CalendarEntry[]>>();
  for (const order of orders.filter((o) => !OFF_CALENDAR.has(o.status)).sort((a, b) => a.dispatchedAt.getTime() - b.dispatchedAt.getTime())) {
    const ref = refs.get(order.feedbackId)!;
    const row = cells.get(order.assigneeId) ?? {};
    cells.set(order.assigneeId, row);
    const day = chinaDate(order.dispatchedAt);
    (row[day] ??= []).push({
      workOrderId: order.id,
      number: ref.number,
      time: chinaDateTime(order.dispatchedAt).slice(11),
      status: order.status,
      statusLabel: workOrderStatusLabels[order.status as WorkOrderStatus] ?? order.status,
      requestedBy: ref.requestedBy ? chinaDateTime(ref.requestedBy) : null,
    });
  }
  const names = await engineerNames(access, cells.keys());
  const engineers = [...names.entries()]
    .sort((a, b) => a[1].localeCompare(b[1], 'zh-CN'))
    .map(([id, name]) => ({ id, name, cells: cells.get(id) ?? {} }));
  const total = [...cells.values()].reduce((sum, row) => sum + Object.values(row).reduce((n, list) => n + list.length, 0), 0);
  const entryText = (entry: CalendarEntry) => `${entry.number} ${entry.time}（${entry.statusLabel}）`;
  return {
    figures: [figure('orders', '派工单数', total), figure('engineers', '工程师人数', engineers.length)],
    tables: [
      table(
        'calendar',
        '派工日历',
        null,
        [label('engineer', '工程师'), ...days.map((day) => label(day, day.slice(5))), col('total', '合计', 'number', false)],
        engineers.map((engineer) => {
          const row: Record<string, string | number> = { engineer: engineer.name };
          let count = 0;
          for (const day of days) {
            const list = engineer.cells[day] ?? [];
            count += list.length;
            row[day] = list.map(entryText).join('\n');
          }
          row.total = count;
          return row;
        }),
      ),
    ],
    calendar: { days, engineers },
  };
}
