// The spreader leaderboard (营销达人): staff and customers ranked by the reach they produced —
// unique visitors through their own link (direct) and through the links of everyone below them
// (indirect) — per campaign or overall. Read from per-person counters sorted by an indexed field.
import type { Paged, Spreader as SpreaderView, SpreadersQuery } from '@qiao/shared';
import { paged, skipOf } from '../../lib/query.js';
import { flushCounters } from './counters.js';
import { namesOf, ownerKeyOf } from './names.js';
import { Spreader, type SpreaderDoc } from './share-node.model.js';

export async function spreaders(query: SpreadersQuery): Promise<Paged<SpreaderView>> {
  await flushCounters();
  // Only people who brought someone: every recipient has a counter document from the start.
  const filter = { scope: query.campaignId ?? 'all', ...(query.kind ? { kind: query.kind } : {}), reach: { $gt: 0 } };
  const [rows, total] = await Promise.all([
    Spreader.find(filter).sort({ reach: -1 }).skip(skipOf(query)).limit(query.pageSize).lean<SpreaderDoc[]>(),
    Spreader.countDocuments(filter),
  ]);
  const owners = rows.map((row) => ({ kind: row.kind === 'staff' ? ('staff' as const) : ('contact' as const), id: row.personId }));
  const names = await namesOf(owners);
  const items = rows.map((row, i) => ({
    rank: skipOf(query) + i + 1,
    kind: row.kind as SpreaderView['kind'],
    id: row.personId,
    name: names.get(ownerKeyOf(owners[i]!)) ?? '',
    direct: { views: row.directViews ?? 0, uniqueVisitors: row.directUniqueVisitors ?? 0 },
    indirect: { views: row.indirectViews ?? 0, uniqueVisitors: row.indirectUniqueVisitors ?? 0 },
    intents: row.intents ?? 0,
    leads: row.leads ?? 0,
  }));
  return paged(items, total, query);
}
