// Sales reports: the lead funnel (lead → converted → won) by source and campaign, pool movements,
// each salesperson's figures, and customer statistics — within the caller's scope (a salesperson:
// their own and shared records; a marketer: campaign leads). Leads, follow-ups and customers are
// read as day rollups (counts per day and group), never record by record.
import { leadSourceLabels, leadSources, type LeadSource } from '@qiao/shared';
import { customerCounts, ownedCustomerCounts } from '../customers/report.stats.js';
import { ownershipEventsBetween } from '../customers/ownership.stats.js';
import { staffByIds } from '../identity/lookup.service.js';
import { staffOfRoles } from '../identity/report.stats.js';
import { followCountsBetween } from '../leads/follow.stats.js';
import { wonOpportunitiesBetween } from '../leads/opportunity.stats.js';
import { leadCellsBetween, type LeadCell } from '../leads/report.stats.js';
import type { ReportAccess } from './access.js';
import { bucketOf, inPeriod, periodBuckets, type Period } from './period.js';
import type { ReportBody } from './service-reports.js';
import { col, figure, label, orUnset, percent, table, Tally, tallyRows } from './table.js';

const sourceLabel = (source: string) => leadSourceLabels[source as LeadSource] ?? source;
const sourceOrder = (source: string) => (leadSources as readonly string[]).indexOf(source);
const leadScope = (access: ReportAccess) => ({ departments: access.leadDepartments, ownerId: access.ownerId, campaignOnly: access.campaignOnly });

/** Per group: leads, converted, won (a won opportunity of the lead) and the won amount (分). */
interface Funnel {
  leads: number;
  converted: number;
  won: number;
  wonAmount: number;
}

const funnelCells = (f: Funnel) => ({ ...f, conversionRate: percent(f.converted, f.leads), winRate: percent(f.won, f.leads) });
const FUNNEL_COLUMNS = [
  col('leads', '线索数'),
  col('converted', '已转化'),
  col('won', '赢单'),
  col('conversionRate', '转化率', 'percent', false),
  col('winRate', '赢单率', 'percent', false),
  col('wonAmount', '赢单金额', 'money', false),
];

export async function leadFunnel(access: ReportAccess, period: Period): Promise<ReportBody> {
  const leadCells = await leadCellsBetween(leadScope(access), period);
  const total: Funnel = { leads: 0, converted: 0, won: 0, wonAmount: 0 };
  const bySource = new Map<string, Funnel>();
  const byCampaign = new Map<string, Funnel & { name: string }>();
  const add = (f: Funnel, cell: LeadCell) => {
    f.leads += cell.leads;
    f.converted += cell.converted;
    f.won += cell.won;
    f.wonAmount += cell.wonAmount;
  };
  for (const cell of leadCells) {
    add(total, cell);
    const source = bySource.get(cell.source) ?? { leads: 0, converted: 0, won: 0, wonAmount: 0 };
    bySource.set(cell.source, source);
    add(source, cell);
    if (cell.campaignId) {
      const campaign = byCampaign.get(cell.campaignId) ?? { name: cell.campaignName || '未命名方案', leads: 0, converted: 0, won: 0, wonAmount: 0 };
      byCampaign.set(cell.campaignId, campaign);
      add(campaign, cell);
    }
  }
  const cells = funnelCells(total);
  return {
    figures: [
      figure('leads', '线索数', total.leads),
      figure('converted', '已转化', total.converted),
      figure('won', '赢单', total.won),
      figure('conversionRate', '转化率', cells.conversionRate, 'percent'),
      figure('winRate', '赢单率', cells.winRate, 'percent'),
      figure('wonAmount', '赢单金额', total.wonAmount, 'money'),
    ],
    tables: [
      table('funnel', '转化漏斗', 'bar', [label('stage', '阶段'), col('count', '数量')], [
        { stage: '线索', count: total.leads },
        { stage: '已转化', count: total.converted },
        { stage: '赢单', count: total.won },
      ]),
      table('by-source', '按来源', 'bar', [label('source', '来源'), ...FUNNEL_COLUMNS], [...bySource.entries()].sort((a, b) => b[1].leads - a[1].leads || sourceOrder(a[0]) - sourceOrder(b[0])).map(([source, f]) => ({ source: sourceLabel(source), ...funnelCells(f) }))),
      table(
        'by-campaign',
        '按营销方案',
        'bar',
        [label('campaign', '营销方案'), ...FUNNEL_COLUMNS],
        [...byCampaign.values()].sort((a, b) => b.leads - a.leads || a.name.localeCompare(b.name, 'zh-CN')).map(({ name, ...f }) => ({ campaign: name, ...funnelCells(f) })),
      ),
    ],
    calendar: null,
  };
}

const MOVEMENTS = ['claim', 'release', 'transfer', 'return', 'reassign'] as const;
const movementLabels: Record<(typeof MOVEMENTS)[number], string> = { claim: '申领', release: '释放', transfer: '转交', return: '退回公海', reassign: '批量转移' };

export async function poolMovements(access: ReportAccess, period: Period): Promise<ReportBody> {
  const events = (await ownershipEventsBetween(access.departments, access.ownerId, period.start, period.end)).filter((event) =>
    (MOVEMENTS as readonly string[]).includes(event.kind),
  );
  const buckets = periodBuckets(period);
  const byTime = new Tally(buckets);
  const byKind = new Tally(MOVEMENTS);
  for (const event of events) {
    byTime.add(bucketOf(event.at, period.granularity), event.kind);
    byKind.add(event.kind, 'count');
  }
  return {
    figures: [figure('total', '流转次数', events.length), ...MOVEMENTS.map((kind) => figure(kind, movementLabels[kind], byKind.get(kind, 'count')))],
    tables: [
      table('by-time', '按时间', 'stacked', [label('bucket', '时间'), ...MOVEMENTS.map((kind) => col(kind, movementLabels[kind]))], tallyRows(byTime, buckets, 'bucket', (key) => key, [...MOVEMENTS])),
      table('by-kind', '按类型', 'pie', [label('kind', '类型'), col('count', '次数')], tallyRows(byKind, [...MOVEMENTS], 'kind', (key) => movementLabels[key as (typeof MOVEMENTS)[number]], ['count'])),
    ],
    calendar: null,
  };
}

export async function ownerPerformance(access: ReportAccess, period: Period): Promise<ReportBody> {
  const [leadCells, follows, won] = await Promise.all([
    leadCellsBetween(leadScope(access), period),
    followCountsBetween(access.departments, access.ownerId, period.from, period.to),
    wonOpportunitiesBetween(access.departments, access.ownerId, period.start, period.end),
  ]);
  const tally = new Tally();
  for (const cell of leadCells) {
    if (!cell.ownerId) continue;
    tally.add(cell.ownerId, 'leads', cell.leads);
    tally.add(cell.ownerId, 'converted', cell.converted);
  }
  for (const [authorId, count] of follows) tally.add(authorId, 'followUps', count);
  for (const opportunity of won) {
    if (!inPeriod(opportunity.closedAt, period)) continue;
    tally.add(opportunity.ownerId, 'won');
    tally.add(opportunity.ownerId, 'wonAmount', opportunity.amount);
  }
  // A salesperson sees their own line; others every salesperson of the scope and anyone with figures.
  const people = access.ownerId
    ? [access.ownerId]
    : [...new Set([...(await staffOfRoles(['sales'], access.departments)).filter((s) => s.active).map((s) => s.id), ...tally.keys()])];
  const [names, owned] = await Promise.all([staffByIds(people), ownedCustomerCounts(people)]);
  const rows = people
    .map((id) => ({
      owner: names.get(id)?.name ?? '已删除职员',
      leads: tally.get(id, 'leads'),
      followUps: tally.get(id, 'followUps'),
      converted: tally.get(id, 'converted'),
      conversionRate: percent(tally.get(id, 'converted'), tally.get(id, 'leads')),
      won: tally.get(id, 'won'),
      wonAmount: tally.get(id, 'wonAmount'),
      customers: owned.get(id) ?? 0,
    }))
    .sort((a, b) => b.wonAmount - a.wonAmount || b.converted - a.converted || a.owner.localeCompare(b.owner, 'zh-CN'));
  const sum = (key: 'leads' | 'followUps' | 'converted' | 'won' | 'wonAmount' | 'customers') => rows.reduce((total, row) => total + row[key], 0);
  return {
    figures: [
      figure('leads', '负责线索', sum('leads')),
      figure('followUps', '跟进次数', sum('followUps')),
      figure('converted', '转化线索', sum('converted')),
      figure('won', '赢单数', sum('won')),
      figure('wonAmount', '赢单金额', sum('wonAmount'), 'money'),
      figure('customers', '名下客户', sum('customers')),
    ],
    tables: [
      table(
        'by-owner',
        '按业务员',
        'bar',
        [
          label('owner', '业务员'),
          col('leads', '负责线索'),
          col('followUps', '跟进次数'),
          col('converted', '转化线索'),
          col('conversionRate', '转化率', 'percent', false),
          col('won', '赢单数', 'number', false),
          col('wonAmount', '赢单金额', 'money', false),
          col('customers', '名下客户'),
        ],
        rows,
      ),
    ],
    calendar: null,
  };
}

export async function customerStats(access: ReportAccess, period: Period): Promise<ReportBody> {
  // Counts, not customers: from the day rollups (a salesperson: their own customers, read directly).
  const counts = await customerCounts(access.viewer, access.departments, period.start, period.end);
  const facets = { region: new Tally(), industry: new Tally(), grade: new Tally() };
  for (const facet of counts.facets) {
    const key = orUnset(facet.value);
    facets[facet.facet].add(key, 'total', facet.total);
    facets[facet.facet].add(key, 'owned', facet.total - facet.pool);
    facets[facet.facet].add(key, 'pool', facet.pool);
    facets[facet.facet].add(key, 'added', facet.added);
  }
  const { total, pool, added } = counts;
  const columns = [col('total', '客户数', 'number', false), col('owned', '有专管业务员'), col('pool', '公海'), col('added', '期间新增', 'number', false)];
  const facetTable = (key: 'region' | 'industry' | 'grade', title: string, heading: string, chart: 'stacked' | 'bar') =>
    table(`by-${key}`, title, chart, [label(key, heading), ...columns], tallyRows(facets[key], facets[key].keysBy('total'), key, (value) => value, ['total', 'owned', 'pool', 'added']));
  return {
    figures: [
      figure('total', '客户总数', total),
      figure('owned', '有专管业务员', total - pool),
      figure('pool', '公海客户', pool),
      figure('added', '期间新增', added),
    ],
    tables: [
      table('ownership', '专管与公海', 'pie', [label('state', '归属'), col('count', '客户数')], [
        { state: '有专管业务员', count: total - pool },
        { state: '公海', count: pool },
      ]),
      facetTable('region', '按地区', '地区', 'stacked'),
      facetTable('industry', '按行业', '行业', 'stacked'),
      facetTable('grade', '按等级', '客户等级', 'stacked'),
    ],
    calendar: null,
  };
}
