// Engineers' work in the period: workload per engineer and the dispatch calendar (派工日历). Work
// orders carry their request's department, so the workload is indexed counts per engineer — never
// every order of the period — and the calendar reads its day rollups (service/calendar-days.ts).
import { workOrderStatusLabels, type CalendarEntry, type WorkOrderStatus } from '@qiao/shared';
import { chinaDateTime } from '../../lib/china-time.js';
import { staffByIds } from '../identity/lookup.service.js';
import { staffOfRoles } from '../identity/report.stats.js';
import { calendarOf, type CalendarOrder } from '../service/calendar-days.js';
import { engineerOrderCounts, orderCountsOf, otherAssignees, type EngineerOrderCounts } from '../service/report.stats.js';
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

const entryOf = (order: CalendarOrder): CalendarEntry => ({
  workOrderId: order.id,
  number: order.number,
  time: chinaDateTime(order.dispatchedAt).slice(11),
  status: order.status,
  statusLabel: workOrderStatusLabels[order.status as WorkOrderStatus] ?? order.status,
  requestedBy: order.requestedBy ? chinaDateTime(order.requestedBy) : null,
});

/**
 * 派工日历: engineers × days — the active engineers of the scope and whoever holds orders in it (a
 * changed role, a deleted account), per day the first orders of the cell and the count of the rest.
 * The grid, the totals and the Excel sheet come from the same day rollups, so they agree.
 */
export async function dispatchCalendar(access: ReportAccess, period: Period): Promise<ReportBody> {
  const calendar = await calendarOf(access.departments, period.from, period.to);
  const counts = new Map([...calendar].map(([id, days]) => [id, [...days.values()].reduce((sum, cell) => sum + cell.count, 0)] as const));
  const days = periodDayList(period);
  const names = await engineerNames(access, counts.keys());
  const listed = [...names.entries()].sort((a, b) => a[1].localeCompare(b[1], 'zh-CN'));
  const engineers = listed.map(([id, name]) => {
    const cells: Record<string, CalendarEntry[]> = {};
    const more: Record<string, number> = {};
    for (const [day, cell] of calendar.get(id) ?? []) {
      if (cell.orders.length > 0) cells[day] = cell.orders.map(entryOf);
      if (cell.count > cell.orders.length) more[day] = cell.count - cell.orders.length;
    }
    return { id, name, cells, more };
  });
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
