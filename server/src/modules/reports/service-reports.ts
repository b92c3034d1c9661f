// Service reports: request volume over time, response and completion times against the requested
// time, and ratings — all over the requests submitted in the period within the caller's scope.
import { feedbackStatusLabels, feedbackStatuses, feedbackTypeLabels, feedbackTypes, type FeedbackType, type Report } from '@qiao/shared';
import { staffByIds } from '../identity/lookup.service.js';
import { chinaDayStart } from '../../lib/china-time.js';
import { requestDayFigures, type DayRatings, type DayTimes, type DepartmentDay } from '../service/report-days.js';
import type { ReportAccess } from './access.js';
import { bucketOf, periodBuckets, type Period } from './period.js';
import { averageHours, col, figure, label, medianHours, orUnset, percent, round1, table, Tally, tallyRows } from './table.js';

export type ReportBody = Pick<Report, 'figures' | 'tables' | 'calendar'>;

const typeLabel = (type: string) => feedbackTypeLabels[type as FeedbackType] ?? type;

/** The day figures of the period in the caller's scope, each department entry with its bucket. */
async function periodFigures(access: ReportAccess, period: Period): Promise<Array<{ bucket: string; figures: DepartmentDay }>> {
  const days = await requestDayFigures(access.departments, period.from, period.to);
  return days.flatMap(({ day, departments }) => departments.map((figures) => ({ bucket: bucketOf(chinaDayStart(day), period.granularity), figures })));
}

export async function serviceVolume(access: ReportAccess, period: Period): Promise<ReportBody> {
  const days = await periodFigures(access, period);
  const buckets = periodBuckets(period);
  const byTime = new Tally(buckets);
  const byStatus = new Tally(feedbackStatuses);
  const byLine = new Tally();
  let total = 0;
  for (const { bucket, figures } of days) {
    total += figures.total;
    for (const { type, times } of figures.types) byTime.add(bucket, type, times.count);
    byTime.add(bucket, 'total', figures.total);
    for (const { status, count } of figures.statuses) byStatus.add(status, 'count', count);
    for (const { line, count, completed } of figures.lines) {
      byLine.add(orUnset(line), 'count', count);
      if (completed) byLine.add(orUnset(line), 'completed', completed);
    }
  }
  const completed = byStatus.get('completed', 'count');
  return {
    figures: [
      figure('total', '请求总数', total),
      figure('completed', '已完成', completed),
      figure('open', '未完成', total - completed),
      figure('completionRate', '完成率', percent(completed, total), 'percent'),
    ],
    tables: [
      table(
        'by-time',
        '按时间与类型',
        'line',
        [label('bucket', '时间'), ...feedbackTypes.map((type) => col(type, feedbackTypeLabels[type])), col('total', '合计', 'number', false)],
        tallyRows(byTime, buckets, 'bucket', (key) => key, [...feedbackTypes, 'total']),
      ),
      table('by-status', '按状态', 'pie', [label('status', '状态'), col('count', '请求数')], tallyRows(byStatus, [...feedbackStatuses], 'status', (key) => feedbackStatusLabels[key as keyof typeof feedbackStatusLabels], ['count'])),
      table('by-product-line', '按产品线', 'bar', [label('productLine', '产品线'), col('count', '请求数'), col('completed', '已完成')], tallyRows(byLine, byLine.keysBy('count'), 'productLine', (key) => key, ['count', 'completed'])),
    ],
    calendar: null,
  };
}

/** What a group of requests took: response (→ accepted), completion (→ completed), against the requested time. */
interface Times {
  count: number;
  response: number[];
  completion: number[];
  /** Completed minus requested time (negative: early), for completed requests with one. */
  vsRequested: number[];
  withRequested: number;
  overdue: number;
}

const emptyTimes = (): Times => ({ count: 0, response: [], completion: [], vsRequested: [], withRequested: 0, overdue: 0 });

/** Adds a day's figures; requests still open count as overdue once their requested time is past `now`. */
function addTimes(times: Times, day: DayTimes, now: Date): void {
  times.count += day.count;
  times.response.push(...day.response);
  times.completion.push(...day.completion);
  times.vsRequested.push(...day.vsRequested);
  times.withRequested += day.withRequested;
  times.overdue += day.overdueDone + day.openDue.filter((due) => due < now.getTime()).length;
}

const timeCells = (times: Times) => ({
  count: times.count,
  avgResponse: averageHours(times.response),
  medianResponse: medianHours(times.response),
  avgCompletion: averageHours(times.completion),
  medianCompletion: medianHours(times.completion),
  overdueRate: percent(times.overdue, times.withRequested),
});

const TIME_COLUMNS = [
  col('count', '请求数', 'number', false),
  col('avgResponse', '平均响应(小时)', 'hours'),
  col('medianResponse', '响应中位数(小时)', 'hours', false),
  col('avgCompletion', '平均完成(小时)', 'hours'),
  col('medianCompletion', '完成中位数(小时)', 'hours', false),
  col('overdueRate', '超期率', 'percent', false),
];

export async function serviceTimes(access: ReportAccess, period: Period, now = new Date()): Promise<ReportBody> {
  const days = await periodFigures(access, period);
  const buckets = periodBuckets(period);
  const all = emptyTimes();
  const byBucket = new Map(buckets.map((bucket) => [bucket, emptyTimes()]));
  const byType = new Map(feedbackTypes.map((type): [string, Times] => [type, emptyTimes()]));
  for (const { bucket, figures } of days) {
    for (const { type, times } of figures.types) {
      addTimes(all, times, now);
      addTimes(byBucket.get(bucket)!, times, now);
      const ofType = byType.get(type) ?? emptyTimes();
      byType.set(type, ofType);
      addTimes(ofType, times, now);
    }
  }
  return {
    figures: [
      figure('count', '请求数', all.count),
      figure('avgResponse', '平均响应时长', averageHours(all.response), 'hours'),
      figure('medianResponse', '响应时长中位数', medianHours(all.response), 'hours'),
      figure('avgCompletion', '平均完成时长', averageHours(all.completion), 'hours'),
      figure('medianCompletion', '完成时长中位数', medianHours(all.completion), 'hours'),
      figure('avgVsRequested', '完成较期望时间(小时，负数为提前)', averageHours(all.vsRequested), 'hours'),
      figure('overdueRate', '超期率', percent(all.overdue, all.withRequested), 'percent'),
      figure('overdue', '超期请求数', all.overdue),
    ],
    tables: [
      table('by-time', '按时间', 'line', [label('bucket', '时间'), ...TIME_COLUMNS], buckets.map((bucket) => ({ bucket, ...timeCells(byBucket.get(bucket)!) }))),
      table(
        'by-type',
        '按服务类型',
        'bar',
        [label('type', '服务类型'), ...TIME_COLUMNS],
        [...byType.entries()].filter(([, times]) => times.count > 0).map(([type, times]) => ({ type: typeLabel(type), ...timeCells(times) })),
      ),
    ],
    calendar: null,
  };
}

interface Ratings {
  count: number;
  timeliness: number;
  attitude: number;
  quality: number;
  low: number;
}

const ratingCells = (r: Ratings) => ({
  count: r.count,
  timeliness: r.count ? round1(r.timeliness / r.count) : null,
  attitude: r.count ? round1(r.attitude / r.count) : null,
  quality: r.count ? round1(r.quality / r.count) : null,
  overall: r.count ? round1((r.timeliness + r.attitude + r.quality) / 3 / r.count) : null,
  lowShare: percent(r.low, r.count),
});

const RATING_COLUMNS = [
  col('count', '评价数', 'number', false),
  col('timeliness', '及时性', 'number', false),
  col('attitude', '服务态度', 'number', false),
  col('quality', '服务质量', 'number', false),
  col('overall', '综合评分'),
  col('lowShare', '差评占比', 'percent', false),
];

export async function engineerRatings(access: ReportAccess, period: Period): Promise<ReportBody> {
  const days = await periodFigures(access, period);
  const all: Ratings = { count: 0, timeliness: 0, attitude: 0, quality: 0, low: 0 };
  const byEngineer = new Map<string, Ratings>();
  const byLine = new Map<string, Ratings>();
  const add = (map: Map<string, Ratings>, key: string, day: DayRatings) => {
    const r = map.get(key) ?? { count: 0, timeliness: 0, attitude: 0, quality: 0, low: 0 };
    map.set(key, r);
    r.count += day.count;
    r.timeliness += day.timeliness;
    r.attitude += day.attitude;
    r.quality += day.quality;
    r.low += day.low;
  };
  const whole = new Map([['all', all]]);
  for (const { figures } of days) {
    for (const rating of figures.ratings) {
      add(whole, 'all', rating);
      add(byEngineer, rating.engineerId, rating);
      add(byLine, orUnset(rating.productLine), rating);
    }
  }
  const names = await staffByIds(byEngineer.keys());
  const byCount = (a: [string, Ratings], b: [string, Ratings]) => b[1].count - a[1].count || a[0].localeCompare(b[0]);
  const cells = ratingCells(all);
  return {
    figures: [
      figure('count', '评价数', all.count),
      figure('overall', '综合评分(满分 5)', cells.overall),
      figure('lowShare', '差评占比', cells.lowShare, 'percent'),
    ],
    tables: [
      table('by-engineer', '按工程师', 'bar', [label('engineer', '工程师'), ...RATING_COLUMNS], [...byEngineer.entries()].sort(byCount).map(([id, r]) => ({ engineer: names.get(id)?.name ?? '未指派', ...ratingCells(r) }))),
      table('by-product-line', '按产品线', 'bar', [label('productLine', '产品线'), ...RATING_COLUMNS], [...byLine.entries()].sort(byCount).map(([line, r]) => ({ productLine: line, ...ratingCells(r) }))),
    ],
    calendar: null,
  };
}
