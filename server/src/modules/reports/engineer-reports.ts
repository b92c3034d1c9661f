// Engineers' work in the period: workload per engineer and the dispatch calendar (派工日历). Work
// orders carry their request's department, so both are indexed counts per engineer and, for the
// calendar, the few orders each cell shows — never every order of the period.
import { workOrderStatusLabels, type CalendarEntry, type WorkOrderStatus } from '@qiao/shared';
import { chinaDateTime, chinaDayStart, DAY_MS } from '../../lib/china-time.js';
import { staffByIds } from '../identity/lookup.service.js';
import { staffOfRoles } from '../identity/report.stats.js';
import {
  calendarCell,
  calendarOrderCount,
  calendarOrderTotal,
  engineerOrderCounts,
  orderCountsOf,
  otherAssignees,
  requestRefs,
  type CalendarOrder,
  type EngineerOrderCounts,
} from '../service/report.stats.js';
import type { ReportAccess } from './access.js';
import { periodDayList, type Period } from './period.js';
import type { ReportBody } from './service-reports.js';
import { col, figure, label, table, Tally } from './table.js';

/** Engineers to list: the active ones of the scope, and whoever holds an order in it. */
async function engineerNames(access: ReportAccess, assignees: Iterable<string>): Promise<Map<string, string>> {
  const names = new Map((await staffOfRoles(['engineer'], access.departments)).filter((s) => s.active).map((s) => [s.id, s.name]));
  const missing = [...new Set(assignees)].filter((id) => !names.has(id));
  for (const [id, card] of await staffByIds(missing)) names.set(id, card.name);
  return names;
}

/** Every engineer's id (active or not, any department): whose orders are counted one by one. */
const allEngineerIds = async () => (await staffOfRoles(['engineer'], null)).map((engineer) => engineer.id);

/**
 * Every order in scope counted per engineer: indexed counts per engineer (a few per engineer, one
 * for an engineer without orders there), no order read. The scope's totals are counted too: when
 * they exceed the engineers' sum, someone who is no engineer now holds orders, found by reading.
 */
async function workloadTally(access: ReportAccess, period: Period): Promise<Tally> {
  const { departments } = access;
  const countsOf = (ids: string[]) =>
    Promise.all(ids.map(async (id) => [id, await engineerOrderCounts(id, departments, period.start, period.end)] as const));
  const engineers = await allEngineerIds();
  const [counts, totals] = await Promise.all([countsOf(engineers), orderCountsOf(departments, period.start, period.end)]);
  const sum = (key: keyof EngineerOrderCounts) => counts.reduce((n, [, count]) => n + count[key], 0);
  if (sum('dispatched') < totals.dispatched || sum('completed') < totals.completed || sum('open') < totals.open) {
    counts.push(...(await countsOf(await otherAssignees(departments, period.start, period.end, engineers))));
  }
  const tally = new Tally();
  for (const [id, count] of counts) for (const [column, n] of Object.entries(count)) if (n > 0) tally.add(id, column, n);
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

/** Orders a cell of the calendar lists; the others of the day are counted (另有 N 单). */
export const CALENDAR_CELL_ORDERS = 3;

/** On-calendar orders per engineer in scope over the period (counts), with whoever is no engineer now. */
async function calendarCounts(access: ReportAccess, period: Period): Promise<Map<string, number>> {
  const { departments } = access;
  const countsOf = (ids: string[]) => Promise.all(ids.map(async (id) => [id, await calendarOrderCount(id, departments, period.start, period.end)] as const));
  const engineers = await allEngineerIds();
  const [counts, total] = await Promise.all([countsOf(engineers), calendarOrderTotal(departments, period.start, period.end)]);
  if (counts.reduce((n, [, count]) => n + count, 0) < total) {
    counts.push(...(await countsOf(await otherAssignees(departments, period.start, period.end, engineers, true))));
  }
  return new Map(counts.filter(([, count]) => count > 0));
}

/** Orders written before orders carried their request's number: looked up on the requests. */
async function withNumbers(orders: CalendarOrder[]): Promise<CalendarOrder[]> {
  const missing = orders.filter((order) => !order.requestNumber);
  if (missing.length === 0) return orders;
  const refs = await requestRefs(missing.map((order) => order.feedbackId));
  return orders.map((order) => {
    const ref = order.requestNumber ? undefined : refs.get(order.feedbackId);
    return ref ? { ...order, requestNumber: ref.number, requestedBy: ref.requestedBy } : order;
  });
}

const entryOf = (order: CalendarOrder): CalendarEntry => ({
  workOrderId: order.id,
  number: order.requestNumber,
  time: chinaDateTime(order.dispatchedAt).slice(11),
  status: order.status,
  statusLabel: workOrderStatusLabels[order.status as WorkOrderStatus] ?? order.status,
  requestedBy: order.requestedBy ? chinaDateTime(order.requestedBy) : null,
});

/**
 * 派工日历: engineers × days. Reads what the page shows: per engineer holding orders in scope, per
 * day, the first orders of the cell (an indexed, limited read) and the count of the rest.
 */
export async function dispatchCalendar(access: ReportAccess, period: Period): Promise<ReportBody> {
  const counts = await calendarCounts(access, period);
  const days = periodDayList(period);
  const names = await engineerNames(access, counts.keys());
  const listed = [...names.entries()].sort((a, b) => a[1].localeCompare(b[1], 'zh-CN'));
  const cellsOf = async (id: string) => {
    if (!counts.has(id)) return [];
    return Promise.all(
      days.map(async (day) => {
        const start = chinaDayStart(day);
        const cell = await calendarCell(id, access.departments, start, new Date(start.getTime() + DAY_MS), CALENDAR_CELL_ORDERS);
        return { day, orders: await withNumbers(cell.orders), more: cell.count - cell.orders.length };
      }),
    );
  };
  const engineers = await Promise.all(
    listed.map(async ([id, name]) => {
      const cells: Record<string, CalendarEntry[]> = {};
      const more: Record<string, number> = {};
      for (const cell of await cellsOf(id)) {
        if (cell.orders.length > 0) cells[cell.day] = cell.orders.map(entryOf);
        if (cell.more > 0) more[cell.day] = cell.more;
      }
      return { id, name, cells, more };
    }),
  );
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
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
          for (const day of days) {
            const lines = (engineer.cells[day] ?? []).map(entryText);
            if (engineer.more[day]) lines.push(`另有 ${engineer.more[day]} 单`);
            row[day] = lines.join('\n');
          }
          row.total = counts.get(engineer.id) ?? 0;
          return row;
        }),
      ),
    ],
    calendar: { days, engineers },
  };
}
